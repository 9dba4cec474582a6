-- The audit log, its chain head and the outbox to the registers, shared by every gateway node
-- (audit.postgres, issue 20). See docs/audit.md for the design.

-- One hash chain for all nodes. Its head is this single row: a node appending a batch locks it
-- (SELECT ... FOR UPDATE) for the length of its transaction, so appends from all nodes are
-- serialised and every seq is taken exactly once; the primary key on audit_entry.seq makes a
-- fork impossible even if that discipline were broken.
CREATE TABLE audit_head (
    id               smallint PRIMARY KEY CHECK (id = 1),
    seq              bigint   NOT NULL,
    hash             char(64) NOT NULL,
    since_checkpoint bigint   NOT NULL
);
INSERT INTO audit_head VALUES (1, 0, repeat('0', 64), 0);

-- One row per chain entry, in the same parts as a line of the file log (HashChain). entry holds
-- the exact bytes that were hashed; it is NULL once retention has emptied it (purged).
CREATE TABLE audit_entry (
    seq         bigint      PRIMARY KEY,
    prev        char(64)    NOT NULL,
    hash        char(64)    NOT NULL,
    digest      char(64)    NOT NULL,
    kind        text        NOT NULL CHECK (kind IN ('enquiry', 'checkpoint', 'purge')),
    entry       text,
    enquiry_id  text,
    result      text,
    at          timestamptz,
    -- The authorities an entry concerns, and "authority:recordId" of the records it names, so
    -- that a co-ordinator's audit view is one indexed query.
    authorities text[]      NOT NULL DEFAULT '{}',
    record_refs text[]      NOT NULL DEFAULT '{}',
    node        text        NOT NULL,
    written_at  timestamptz NOT NULL DEFAULT now()
);
-- Every enquiry has at most one entry of each result (say, its answer), whichever node wrote it.
CREATE UNIQUE INDEX audit_entry_enquiry ON audit_entry (enquiry_id, result) WHERE enquiry_id IS NOT NULL;
CREATE INDEX audit_entry_authorities ON audit_entry USING gin (authorities);
CREATE INDEX audit_entry_at ON audit_entry (at) WHERE kind = 'enquiry';

-- What a register must still be told. A row is written in the same transaction as the audit
-- entry that caused it, claimed by one node at a time with a lease (leased_until), and deleted
-- once the register has acknowledged it.
CREATE TABLE outbox (
    id           text        PRIMARY KEY,
    created_seq  bigserial   NOT NULL,
    authority    text        NOT NULL,
    kind         text        NOT NULL,
    message      text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    attempts     integer     NOT NULL DEFAULT 0,
    not_before   timestamptz NOT NULL DEFAULT now(),
    leased_until timestamptz,
    leased_by    text
);
CREATE INDEX outbox_due ON outbox (authority, created_seq);
