-- Token buckets shared by every node (limits.perCaller, limits.perAgency with audit.postgres),
-- so that a caller cannot multiply its rate by the number of nodes. One row per key, refilled
-- lazily from the database's clock when next used; see PostgresRateLimiter.
CREATE TABLE rate_bucket (
    key      text             PRIMARY KEY,
    tokens   double precision NOT NULL,
    updated  timestamptz      NOT NULL,
    admitted boolean          NOT NULL
);
