{#- Marts built in parts: force_rates and force_change each from two intermediate models made by one macro
    (force_rates_of, force_change_of), one over the counts of recorded crime and one over the street feed's ASB
    incidents. Everything they compute is per measure, so each part's rows are those of the whole.

    The mart is incremental: a build replaces the rows of each part whose rows differ from the mart's (its count and
    the sum of its rows' hashes) and leaves the others as they are, so a new street month writes the few hundred ASB
    rows instead of copying all 78k, and a build after which a part is unchanged writes nothing. The comparison, not
    the build's selection, decides: the mart is right whichever models a build selected. The pre-hook deletes the
    changed parts' rows and the model then selects the parts that differ, which are exactly those (both in one
    transaction). A first build, or --full-refresh, takes every part; the contract's primary key refuses a row that two
    parts both hold. A mart whose columns are no longer its parts' (a change of the project's columns, which an
    incremental model would otherwise refuse until a full refresh by hand) is made again, empty, as its contract
    says, and filled from every part in the same build. -#}

{% macro parts_of(mart) %}
    {%- set street = "crime_source is not distinct from 'police_uk_street'" -%}
    {%- set recorded = "crime_source is distinct from 'police_uk_street'" -%}
    {#- each part: the intermediate model, and the condition that tells its rows apart in the mart -#}
    {{ return({
        'force_rates': [('int_force_rates_recorded', recorded), ('int_force_rates_street', street)],
        'force_change': [('int_force_change_recorded', recorded), ('int_force_change_street', street)],
    }[mart]) }}
{% endmacro %}

{% macro built_in_parts_config(mart) %}
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          pre_hook="{{ delete_changed_parts('" ~ mart ~ "') }}") }}
{% endmacro %}

{#- the publication keeps a mart rebuilt with the rows it holds by the same fingerprint (publication/publish.py) -#}
{% macro part_unchanged(part, rows) -%}
    (select count(*) || ':' || coalesce(sum(hash(p)::hugeint), 0) from {{ part }} as p)
    = (select count(*) || ':' || coalesce(sum(hash(m)::hugeint), 0) from {{ this }} as m where {{ rows }})
{%- endmacro %}

{% macro changed_parts(mart) %}
{%- for part, rows in parts_of(mart) %}
{%- if not loop.first %}
union all
{%- endif %}
select * from {{ ref(part) }}
{%- if is_incremental() %}
where not {{ part_unchanged(ref(part), rows) }}
{%- endif %}
{%- endfor %}
{% endmacro %}

{% macro columns_of(relation) %}
    {%- set columns = [] -%}
    {%- for column in adapter.get_columns_in_relation(relation) -%}
        {%- do columns.append((column.name, column.dtype)) -%}
    {%- endfor -%}
    {{ return(columns) }}
{% endmacro %}

{% macro delete_changed_parts(mart) %}
{%- set first_part = ref(parts_of(mart)[0][0]) -%}
{%- if not (execute and is_incremental()) %}
select 'a first build takes every part'
{%- elif columns_of(this) != columns_of(first_part) %}
drop table {{ this }};
{{ create_table_as(False, this, 'select * from ' ~ first_part ~ ' where false') }}
{%- else %}
delete from {{ this }} where false
{%- for part, rows in parts_of(mart) %}
    or (({{ rows }}) and not {{ part_unchanged(ref(part), rows) }})
{%- endfor %}
{%- endif %}
{% endmacro %}
