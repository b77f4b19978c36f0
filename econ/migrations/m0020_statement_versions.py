"""Every version of a statement keeps its own file (issue 15: a statement regenerated
after a late return replaced the PDF she had read). The current version's file is the
one the statement row names; versions made before this migration were overwritten and
have no file (an empty path)."""

SQL = """
ALTER TABLE "statement_generation" ADD COLUMN "path" VARCHAR(200) NOT NULL DEFAULT '';
UPDATE "statement_generation" SET "path" = (
    SELECT "statement"."path" FROM "statement"
    WHERE "statement"."id" = "statement_generation"."statement_id"
      AND "statement"."version" = "statement_generation"."version"
) WHERE EXISTS (
    SELECT 1 FROM "statement"
    WHERE "statement"."id" = "statement_generation"."statement_id"
      AND "statement"."version" = "statement_generation"."version"
);
"""
