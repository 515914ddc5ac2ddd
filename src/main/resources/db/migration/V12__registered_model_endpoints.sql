-- Model endpoints the operator registered through the API (POST /api/v1/model-endpoints), in
-- addition to those in configuration. The API key is only referenced (env:NAME or secret:NAME).
create table model_endpoint (
    id                    varchar(100) primary key,
    base_url              text         not null,
    kind                  text         not null check (kind in ('self-hosted', 'hosted')),
    api_key_ref           text,
    models                jsonb        not null,
    connect_timeout_ms    integer      not null,
    first_token_timeout_ms integer     not null,
    total_timeout_ms      integer      not null,
    created_by            text         not null,
    created_at            timestamptz  not null default now()
);
