"""The installation's identity (payment files start their message ids with it)."""

SQL = """
CREATE TABLE "installation" (
    "id" INTEGER NOT NULL PRIMARY KEY,
    "code" VARCHAR(12) NOT NULL,
    "created_at" TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX "installation_code" ON "installation" ("code");
"""
