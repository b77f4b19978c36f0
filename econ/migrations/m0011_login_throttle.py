"""Sign-in throttling per account and client address; shared request-rate counters."""

SQL = """
ALTER TABLE "login_attempt" ADD COLUMN "client_hash" VARCHAR(64) NOT NULL DEFAULT '';
CREATE INDEX "login_attempt_email_hash_client_hash_at"
    ON "login_attempt" ("email_hash", "client_hash", "at");

CREATE TABLE "rate_counter" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "key" VARCHAR(120) NOT NULL,
    "count" INTEGER NOT NULL,
    "expires_at" BIGINT NOT NULL
);
CREATE UNIQUE INDEX "rate_counter_key" ON "rate_counter" ("key");
CREATE INDEX "rate_counter_expires_at" ON "rate_counter" ("expires_at");
"""
