-- Knowledge chunks with their embeddings, so the search index can be rebuilt at startup
-- from the database without embedding anything again.
create table knowledge_chunk (
    tenant_id   uuid          not null,
    id          uuid          not null,
    article_id  uuid          not null,
    ordinal     integer       not null,
    heading     varchar(1000) not null,
    text        text          not null,
    -- all-MiniLM-L6-v2: 384 float32 values, little-endian, unit length
    embedding   bytea         not null,
    -- the same model's embeddings of "article title › section heading" alone, and of the bare text
    heading_embedding bytea   not null,
    text_embedding    bytea   not null,
    primary key (tenant_id, id),
    unique (tenant_id, article_id, ordinal),
    foreign key (tenant_id, article_id) references article (tenant_id, id) on delete cascade
);

-- Below this similarity between a question and the best passage, the assistant says it is
-- not sure and hands the conversation to a person.
alter table tenant add column min_answer_confidence double precision not null default 0.35;
