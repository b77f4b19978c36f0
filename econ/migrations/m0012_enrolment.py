"""Sign-in without e-mail: enrolment codes, the sign-in name, and the pages' idle timeout."""

SQL = """
CREATE TABLE "enrolment_code" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "participant_id" INTEGER NOT NULL,
    "code_hash" VARCHAR(64) NOT NULL,
    "issued_by" INTEGER NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "expires_at" TIMESTAMP NOT NULL,
    "used_at" TIMESTAMP,
    "revoked_at" TIMESTAMP,
    FOREIGN KEY ("participant_id") REFERENCES "participant" ("id") ON DELETE CASCADE
);
CREATE INDEX "enrolment_code_participant_id" ON "enrolment_code" ("participant_id");
CREATE UNIQUE INDEX "enrolment_code_code_hash" ON "enrolment_code" ("code_hash");
CREATE TABLE "web_session" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "session_id" INTEGER NOT NULL,
    "last_seen_at" TIMESTAMP NOT NULL,
    FOREIGN KEY ("session_id") REFERENCES "session" ("id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "web_session_session_id" ON "web_session" ("session_id");
ALTER TABLE "user" ADD COLUMN "sign_in_name" VARCHAR(40);
CREATE UNIQUE INDEX "user_sign_in_name" ON "user" ("sign_in_name");
"""
