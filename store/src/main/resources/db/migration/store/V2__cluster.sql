-- Cluster membership and the state N engine processes share through one database (PostgreSQL in
-- production; the same SQL runs on SQLite, which serves one process). Portable SQL, instants in
-- epoch milliseconds of the injected clock's wall time, as in V1.

-- Every engine process (run or serve) that opened the database: registered at start, heartbeat
-- while it runs, stopped_at set on an orderly stop. A worker whose heartbeat is older than a few
-- periods is dead; its batches come back when their leases expire.
CREATE TABLE cluster_workers (
  id           VARCHAR(120) NOT NULL PRIMARY KEY,
  host         TEXT         NOT NULL,
  pid          BIGINT       NOT NULL,
  started_at   BIGINT       NOT NULL,
  heartbeat_at BIGINT       NOT NULL,
  stopped_at   BIGINT
);

-- Named leases: the singletons (a channel's reservation poller, the reconciliation timetable,
-- pruning) run on the worker that holds theirs; it renews it while it lives, another takes it
-- once it expires.
CREATE TABLE cluster_leases (
  name        VARCHAR(200) NOT NULL PRIMARY KEY,
  owner       VARCHAR(120) NOT NULL,
  acquired_at BIGINT       NOT NULL,
  expires_at  BIGINT       NOT NULL
);

-- One quota key (channel, scope such as a property, endpoint kind) shared by every worker: each
-- window as "tokens:capacity:periodMillis:windowStartMillis", ';'-separated in configured order,
-- and the pause the channel announced (429 with Retry-After, or remaining 0 with a reset). Updated
-- under the row's lock, so the cluster takes at most each window's capacity.
CREATE TABLE cluster_quotas (
  channel      VARCHAR(200) NOT NULL,
  scope        VARCHAR(200) NOT NULL,
  endpoint     VARCHAR(100) NOT NULL,
  windows      TEXT         NOT NULL,
  paused_until BIGINT,
  updated_at   BIGINT       NOT NULL,
  PRIMARY KEY (channel, scope, endpoint)
);

-- The cluster's circuit per (channel, endpoint): open until open_until once any worker's breaker
-- opened; then one worker (probe_owner, until probe_until) probes; its success closes it for all.
-- held_until: verify before resume holds the channel's pushes on every worker until then.
CREATE TABLE cluster_circuits (
  channel     VARCHAR(200) NOT NULL,
  endpoint    VARCHAR(100) NOT NULL,
  state       VARCHAR(10)  NOT NULL CHECK (state IN ('closed', 'open', 'half_open')),
  opened_at   BIGINT,
  open_until  BIGINT,
  probe_owner VARCHAR(120),
  probe_until BIGINT,
  held_until  BIGINT,
  updated_at  BIGINT       NOT NULL,
  updated_by  VARCHAR(120),
  PRIMARY KEY (channel, endpoint)
);

-- The retry budget per channel for the whole cluster: first attempts and retries counted per
-- time slice; a retry is allowed while the window's retries stay under the ratio of its requests.
CREATE TABLE cluster_budget (
  channel  VARCHAR(200) NOT NULL,
  slice    BIGINT       NOT NULL,
  requests BIGINT       NOT NULL,
  retries  BIGINT       NOT NULL,
  PRIMARY KEY (channel, slice)
);

-- OAuth2 tokens shared by the workers of a channel, sealed with AES-GCM under a key derived from
-- the channel's client secret (which every worker has and the database never does). generation
-- grows with every stored token; refresh_owner/refresh_until make one refresh at a time.
CREATE TABLE cluster_tokens (
  channel       VARCHAR(200) NOT NULL PRIMARY KEY,
  sealed        TEXT,
  expires_at    BIGINT,
  generation    BIGINT       NOT NULL,
  refresh_owner VARCHAR(120),
  refresh_until BIGINT,
  updated_at    BIGINT       NOT NULL
);
