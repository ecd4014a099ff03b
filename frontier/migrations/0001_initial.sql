-- Inference Frontier results store, schema version 1.
-- Applied once by frontier.pgstore.migrate (in a transaction, under an advisory lock);
-- frontier_schema records which versions a database has.

-- One row per store: its identity, so cached datasets of one database are never taken for
-- another one's (batch numbers restart in a new database).
CREATE TABLE frontier_meta (
    key   text PRIMARY KEY,
    value text NOT NULL
);
INSERT INTO frontier_meta (key, value)
VALUES ('store_id', md5(random()::text || clock_timestamp()::text || pg_backend_pid()::text));

-- One row per successful ingest. Ids are assigned under the ingest lock, so they are
-- gapless and in commit order: the revision is max(id).
CREATE TABLE ingest_batch (
    id          bigint PRIMARY KEY,
    created_at  timestamptz NOT NULL DEFAULT now(),
    source      text NOT NULL,
    files       integer NOT NULL DEFAULT 0,
    records     integer NOT NULL DEFAULT 0,
    added       integer NOT NULL DEFAULT 0,
    duplicates  integer NOT NULL DEFAULT 0,
    rejected    integer NOT NULL DEFAULT 0,
    warnings    integer NOT NULL DEFAULT 0
);

-- One row per measurement, holding the normalised values of a runner-aggregate record
-- (frontier.ingest.OUTPUT_FIELDS; the same record the folder store writes).
CREATE TABLE measurement (
    id          bigserial PRIMARY KEY,
    batch_id    bigint NOT NULL REFERENCES ingest_batch (id),
    -- md5 of the configuration identity (SPEC §12: model, gpu, framework, precision, spec
    -- method, deployment, every parallelism and worker field); with the sequence,
    -- concurrency and date it names one measurement.
    config_key  text NOT NULL,
    source      text,             -- the input file (or zip member) it came from
    record      integer,          -- its index in that file
    hw                   text NOT NULL,
    conc                 integer NOT NULL,
    image                text,
    model                text,
    infmax_model_prefix  text NOT NULL,
    framework            text NOT NULL,
    precision            text NOT NULL,
    spec_decoding        text,
    disagg               boolean,
    isl                  integer NOT NULL,
    osl                  integer NOT NULL,
    is_multinode         boolean,
    tp                   double precision,
    ep                   double precision,
    pp                   double precision,
    dp_attention         boolean,
    tput_per_gpu         double precision NOT NULL,
    output_tput_per_gpu  double precision,
    input_tput_per_gpu   double precision,
    median_intvty        double precision NOT NULL,
    median_tpot          double precision,
    p90_tpot             double precision,
    p99_tpot             double precision,
    median_ttft          double precision,
    p90_ttft             double precision,
    p99_ttft             double precision,
    median_e2el          double precision,
    p90_e2el             double precision,
    p99_e2el             double precision,
    median_itl           double precision,
    avg_power_w          double precision,
    date                 date NOT NULL,
    run_url              text,
    prefill_tp           double precision,
    prefill_ep           double precision,
    prefill_dp_attention boolean,
    prefill_num_workers  double precision,
    decode_tp            double precision,
    decode_ep            double precision,
    decode_dp_attention  boolean,
    decode_num_workers   double precision,
    num_prefill_gpu      double precision,
    num_decode_gpu       double precision,
    num_gpus             double precision,
    CONSTRAINT measurement_identity UNIQUE (config_key, isl, osl, conc, date)
);
CREATE INDEX measurement_batch ON measurement (batch_id);
