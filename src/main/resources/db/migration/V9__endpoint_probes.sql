-- The latest capability probe of each catalogue model: an endpoint/model that failed it cannot be chosen.
create table model_probe (
    endpoint_id  varchar(100) not null,
    model        varchar(200) not null,
    result       jsonb        not null,
    passed       boolean      not null,
    probed_at    timestamptz  not null,
    primary key (endpoint_id, model)
);
