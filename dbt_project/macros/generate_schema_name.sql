{#- Use a model's custom schema as is (staging, intermediate) instead of dbt's default
    "<target schema>_<custom schema>" (main_staging); models without one go to the target
    schema (main), so analysts can write `select * from fct_pledges`. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
