CREATE TABLE "filing_parts" (
	"accession" text NOT NULL,
	"part" text NOT NULL,
	"status" text NOT NULL,
	"code" text,
	"message" text,
	"retryable" boolean DEFAULT false NOT NULL,
	"size" integer DEFAULT 0 NOT NULL,
	"task_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "filing_parts_accession_part_pk" PRIMARY KEY("accession","part")
);
--> statement-breakpoint
ALTER TABLE "filings" ALTER COLUMN "primary_document" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "task_filings" ADD COLUMN "missing" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "mode" text DEFAULT 'initial' NOT NULL;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "already_stored" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "cancel_requested" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "companies" ADD COLUMN "checked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "filing_parts" ADD CONSTRAINT "filing_parts_accession_filings_accession_fk" FOREIGN KEY ("accession") REFERENCES "public"."filings"("accession") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Filings stored before parts were recorded: say what each holds, from the rows that are there. A
-- part with no rows is missing and retryable, so a retry or refresh fills it.
INSERT INTO "filing_parts" ("accession", "part", "status", "code", "message", "retryable", "size")
SELECT f."accession", 'facts',
  CASE WHEN c.n > 0 THEN 'stored' ELSE 'missing' END,
  CASE WHEN c.n > 0 THEN NULL ELSE 'not_recorded' END,
  CASE WHEN c.n > 0 THEN NULL ELSE 'No financial facts were stored for this filing before parts were recorded; a retry fetches them' END,
  c.n = 0, c.n
FROM "filings" f
CROSS JOIN LATERAL (SELECT count(*)::int AS n FROM "financial_facts" x WHERE x."accession" = f."accession") c
ON CONFLICT DO NOTHING;--> statement-breakpoint
INSERT INTO "filing_parts" ("accession", "part", "status", "code", "message", "retryable", "size")
SELECT f."accession", p.part,
  CASE WHEN s."accession" IS NULL THEN 'missing' ELSE 'stored' END,
  CASE WHEN s."accession" IS NULL THEN 'not_recorded' ELSE NULL END,
  CASE WHEN s."accession" IS NULL THEN 'This section was not stored before parts were recorded; a retry cuts it again' ELSE NULL END,
  s."accession" IS NULL, coalesce(s."char_count", 0)
FROM "filings" f
CROSS JOIN (VALUES ('business'), ('risk_factors'), ('mdna')) AS p(part)
LEFT JOIN "filing_sections" s ON s."accession" = f."accession" AND s."section" = p.part
ON CONFLICT DO NOTHING;
