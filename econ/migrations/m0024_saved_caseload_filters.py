"""The counselor's workspace (issue 17): saved caseload filters, each one counselor's own,
one name once per counselor."""

SQL = """
CREATE TABLE "saved_caseload_filter" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "user_id" INTEGER NOT NULL,
    "name" VARCHAR(60) NOT NULL,
    "search" VARCHAR(60) NOT NULL,
    "status" VARCHAR(10),
    "pathway" VARCHAR(20),
    "has_overdue_milestones" BOOLEAN,
    "in_arrears" BOOLEAN,
    "stipend_months_left_at_most" INTEGER,
    "sort" VARCHAR(24) NOT NULL,
    "descending" BOOLEAN NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "saved_caseload_filter_user_id_name"
    ON "saved_caseload_filter" ("user_id", "name");
"""
