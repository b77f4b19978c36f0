"""The program's skills vocabulary (issue 19): keys and labels in en, es and fr, kept by
ADMIN; an employer's opportunities choose their skills from it."""

SQL = """
CREATE TABLE "skill_term" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "key" VARCHAR(200) NOT NULL,
    "label_en" VARCHAR(120) NOT NULL,
    "label_es" VARCHAR(120) NOT NULL,
    "label_fr" VARCHAR(120) NOT NULL,
    "active" BOOLEAN NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "updated_by" INTEGER
);
CREATE UNIQUE INDEX "skill_term_key" ON "skill_term" ("key");
"""
