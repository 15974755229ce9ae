-- Issue 13: contacts that are not website visitors. A Telegram chat or an e-mail address has
-- no site and no widget token, so both columns may now be empty (a widget visitor still has
-- both; the widget code sets them).
ALTER TABLE visitors ALTER COLUMN site_id DROP NOT NULL;
ALTER TABLE visitors ALTER COLUMN token_hash DROP NOT NULL;

-- A whole address typed into search ("maria@mail.example") is split into words by the query
-- parser, while the `simple` parser kept the stored address as one token: they never met.
-- The index now sees the address as its words too (SQLite's tokenizer always did).
DROP INDEX visitors_fts;
CREATE INDEX visitors_fts ON visitors USING GIN (to_tsvector('simple',
    coalesce(name, '') || ' ' || translate(coalesce(email, ''), '@.', '  ') || ' ' || coalesce(phone, '') || ' ' ||
    coalesce(phone_digits, '')));
