-- A batch may travel as several requests (ChannelAdapter.Part), sent in order. parts_done counts
-- the leading parts the channel acknowledged; prior_retries the retries spent on them (the retry
-- state in the other columns restarts with each part, so every part gets the policy's attempts).
ALTER TABLE ari_batches ADD COLUMN parts_done INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ari_batches ADD COLUMN prior_retries INTEGER NOT NULL DEFAULT 0;
