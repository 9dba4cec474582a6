-- The withheld registers' searches (A9, H3) a node runs again for an answer whose own node did
-- not live to run them: claimed here first, so that of the nodes resuming them at once only one
-- asks the registers, tells a match's register and writes the entry recording it (the entry's
-- unique (enquiry_id, result) would otherwise fail a second node's whole batch). A claim older
-- than ten minutes with still no entry may be taken again: its node was lost too.
CREATE TABLE withheld_resumed (
    enquiry_id text        PRIMARY KEY,
    node       text        NOT NULL,
    claimed_at timestamptz NOT NULL DEFAULT now()
);
