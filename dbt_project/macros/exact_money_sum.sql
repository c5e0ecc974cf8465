{#- Money is summed exactly. Amounts are whole cents (value_usd and value_eur are rounded to two
    places when converted), and a sum of doubles depends on the order DuckDB's threads add them
    in: two builds of the same pages gave totals differing in the last digits. The exact sum is
    returned as a double, the type the marts' contracts give their money columns. -#}
{% macro exact_money_sum(column, condition=none) -%}
cast(coalesce(sum(cast({{ column }} as decimal(38, 2))){% if condition %} filter (where {{ condition }}){% endif %}, 0) as double)
{%- endmacro %}
