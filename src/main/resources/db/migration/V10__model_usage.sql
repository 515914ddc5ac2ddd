-- Metered model use per tenant, day, model and source (a bot turn or the OpenAI-compatible
-- API), written in batches off the request path. Budgets are checked against these sums.
create table model_usage (
    tenant_id uuid not null references tenant (id) on delete cascade,
    day date not null,
    endpoint text not null,
    model text not null,
    source text not null check (source in ('conversation', 'api')),
    requests bigint not null default 0,
    estimated_requests bigint not null default 0,
    input_tokens bigint not null default 0,
    output_tokens bigint not null default 0,
    cost_usd numeric(18, 8) not null default 0,
    primary key (tenant_id, day, endpoint, model, source)
);

-- The first time a tenant's spending passes its monthly budget, once per month across replicas.
create table budget_exceeded (
    tenant_id uuid not null references tenant (id) on delete cascade,
    month date not null,
    budget_usd numeric(18, 8) not null,
    on_exceeded text not null,
    at timestamptz not null default now(),
    primary key (tenant_id, month)
);
