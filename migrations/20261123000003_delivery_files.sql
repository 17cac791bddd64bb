-- Files attached to a delivery. They live in the database beside the delivery they belong to: they
-- survive restarts, are backed up and deleted with it, and are written in the delivery's own
-- transaction, so a refused delivery leaves no orphan file. Sizes are capped by domain::delivery.
CREATE TABLE delivery_files (
    id           UUID PRIMARY KEY,
    delivery_id  UUID NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    name         TEXT NOT NULL CHECK (char_length(name) BETWEEN 1 AND 120),
    content_type TEXT NOT NULL,
    size_bytes   INTEGER NOT NULL CHECK (size_bytes BETWEEN 0 AND 10485760),
    sha256       TEXT NOT NULL,
    bytes        BYTEA NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- Deliverables are mostly archives and images, already compressed: store them out of line without
-- a second, futile compression attempt.
ALTER TABLE delivery_files ALTER COLUMN bytes SET STORAGE EXTERNAL;
CREATE INDEX delivery_files_by_delivery ON delivery_files (delivery_id);
