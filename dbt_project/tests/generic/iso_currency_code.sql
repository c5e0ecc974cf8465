{#- Fails on every value that is not shaped like an ISO 4217 code: exactly three upper-case
    letters A-Z ("USD", "EUR", "GBP"). Nulls pass. -#}
{% test iso_currency_code(model, column_name) %}
select {{ column_name }} as failing_value
from {{ model }}
where {{ column_name }} is not null
  and not regexp_full_match({{ column_name }}, '[A-Z]{3}')
{% endtest %}
