{#- Fails on every date (or timestamp) later than today plus `slack_days`: the slack absorbs time
    zones and pages dated a day ahead. Nulls pass. -#}
{% test not_in_future(model, column_name, slack_days=2) %}
select {{ column_name }} as failing_value
from {{ model }}
where cast({{ column_name }} as date) > current_date + {{ slack_days | int }}
{% endtest %}
