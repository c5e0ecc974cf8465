{#- Fails on every row where the column is below `min_value`; nulls pass (use not_null for those). -#}
{% test at_least(model, column_name, min_value) %}
select {{ column_name }} as failing_value
from {{ model }}
where {{ column_name }} < {{ min_value }}
{% endtest %}
