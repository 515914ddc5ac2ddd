-- Articles are now ranked by the embedding of each passage's bare text plus the article's centroid
-- (the mean of those embeddings); the heading and title-prefixed embeddings are no longer used.
update knowledge_chunk set embedding = text_embedding;
alter table knowledge_chunk drop column heading_embedding, drop column text_embedding;
