{#- The reviewers' corrections files (corrections/README.md). orchestration/settings.py exports the
    folder as an absolute path before dbt starts; the default is for a dbt run by hand from this
    folder. Listed when the model runs, so that a folder without any file yet reads as no
    corrections instead of failing the build (read_csv fails on a pattern that matches nothing). -#}
{% macro corrections_files() %}
    {%- set folder = env_var('PLEDGES_CORRECTIONS_DIR', '../corrections') -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set found = run_query("select file from glob(" ~ sql_string(folder ~ '/*.csv') ~ ") order by file") -%}
    {{ return(found.columns[0].values() | list) }}
{% endmacro %}

{#- A SQL string literal of a Python string (a path may hold a quote). -#}
{% macro sql_string(text) -%}
    '{{ text | replace("'", "''") }}'
{%- endmacro %}

