{#- Fails on every row where the SQL boolean `expression` is false; a null result passes (write
    the null case into the expression when it matters). A model-level test:
      data_tests:
        - expression_is_true:
            arguments:
              expression: "quantity_min <= quantity_max" -#}
{% test expression_is_true(model, expression) %}
select *
from {{ model }}
where not ({{ expression }})
{% endtest %}
