-- One accession can be the annual report of several companies (a parent and its subsidiaries file
-- one 10-K together). Filings and what hangs off them are keyed by company and accession, so each
-- company holds the report, its own facts and its parts apart.
ALTER TABLE "filing_parts" DROP CONSTRAINT "filing_parts_accession_filings_accession_fk";--> statement-breakpoint
ALTER TABLE "filing_sections" DROP CONSTRAINT "filing_sections_accession_filings_accession_fk";--> statement-breakpoint
ALTER TABLE "financial_facts" DROP CONSTRAINT "financial_facts_accession_filings_accession_fk";--> statement-breakpoint
ALTER TABLE "filing_parts" DROP CONSTRAINT "filing_parts_accession_part_pk";--> statement-breakpoint
ALTER TABLE "filing_sections" DROP CONSTRAINT "filing_sections_accession_section_pk";--> statement-breakpoint
ALTER TABLE "financial_facts" DROP CONSTRAINT "financial_facts_accession_taxonomy_concept_unit_period_pk";--> statement-breakpoint
ALTER TABLE "filings" DROP CONSTRAINT "filings_pkey";--> statement-breakpoint
ALTER TABLE "filing_parts" ADD COLUMN "cik" text;--> statement-breakpoint
ALTER TABLE "filing_sections" ADD COLUMN "cik" text;--> statement-breakpoint
-- Until now an accession had one row in filings: its company is the one its parts and sections belong to.
UPDATE "filing_parts" p SET "cik" = f."cik" FROM "filings" f WHERE f."accession" = p."accession";--> statement-breakpoint
UPDATE "filing_sections" s SET "cik" = f."cik" FROM "filings" f WHERE f."accession" = s."accession";--> statement-breakpoint
ALTER TABLE "filing_parts" ALTER COLUMN "cik" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "filing_sections" ALTER COLUMN "cik" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "filings" ADD CONSTRAINT "filings_cik_accession_pk" PRIMARY KEY("cik","accession");--> statement-breakpoint
ALTER TABLE "filing_parts" ADD CONSTRAINT "filing_parts_cik_accession_part_pk" PRIMARY KEY("cik","accession","part");--> statement-breakpoint
ALTER TABLE "filing_sections" ADD CONSTRAINT "filing_sections_cik_accession_section_pk" PRIMARY KEY("cik","accession","section");--> statement-breakpoint
ALTER TABLE "financial_facts" ADD CONSTRAINT "financial_facts_cik_accession_taxonomy_concept_unit_period_pk" PRIMARY KEY("cik","accession","taxonomy","concept","unit","period");--> statement-breakpoint
ALTER TABLE "filing_parts" ADD CONSTRAINT "filing_parts_cik_accession_filings_cik_accession_fk" FOREIGN KEY ("cik","accession") REFERENCES "public"."filings"("cik","accession") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "filing_sections" ADD CONSTRAINT "filing_sections_cik_accession_filings_cik_accession_fk" FOREIGN KEY ("cik","accession") REFERENCES "public"."filings"("cik","accession") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "financial_facts" ADD CONSTRAINT "financial_facts_cik_accession_filings_cik_accession_fk" FOREIGN KEY ("cik","accession") REFERENCES "public"."filings"("cik","accession") ON DELETE cascade ON UPDATE no action;
