CREATE TABLE "dead_letters" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"subject" text NOT NULL,
	"seq" bigint,
	"payload" text NOT NULL,
	"reason" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"retried_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "projection_checkpoints" (
	"projection" text PRIMARY KEY NOT NULL,
	"stream" text NOT NULL,
	"last_seq" bigint NOT NULL,
	"stream_created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "task_filings" (
	"task_id" uuid NOT NULL,
	"accession" text NOT NULL,
	"position" integer NOT NULL,
	"form" text NOT NULL,
	"fiscal_year" integer NOT NULL,
	"report_date" text NOT NULL,
	"status" text NOT NULL,
	"error" text,
	CONSTRAINT "task_filings_task_id_accession_pk" PRIMARY KEY("task_id","accession")
);
--> statement-breakpoint
CREATE TABLE "tasks" (
	"task_id" uuid PRIMARY KEY NOT NULL,
	"ticker" text NOT NULL,
	"status" text NOT NULL,
	"progress" integer NOT NULL,
	"message" text NOT NULL,
	"steps_completed" integer NOT NULL,
	"total_steps" integer NOT NULL,
	"company_cik" text,
	"company_name" text,
	"error" text,
	"version" bigint NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "companies" (
	"cik" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"tickers" text[] DEFAULT '{}'::text[] NOT NULL,
	"exchanges" text[] DEFAULT '{}'::text[] NOT NULL,
	"sic" text,
	"sic_description" text,
	"fiscal_year_end" text,
	"entity_type" text,
	"state_of_incorporation" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "filing_sections" (
	"accession" text NOT NULL,
	"section" text NOT NULL,
	"title" text NOT NULL,
	"text" text NOT NULL,
	"char_count" integer NOT NULL,
	CONSTRAINT "filing_sections_accession_section_pk" PRIMARY KEY("accession","section")
);
--> statement-breakpoint
CREATE TABLE "filings" (
	"accession" text PRIMARY KEY NOT NULL,
	"cik" text NOT NULL,
	"form" text NOT NULL,
	"fiscal_year" integer NOT NULL,
	"report_date" date NOT NULL,
	"filing_date" date NOT NULL,
	"primary_document" text NOT NULL,
	"primary_document_url" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "financial_facts" (
	"accession" text NOT NULL,
	"cik" text NOT NULL,
	"taxonomy" text NOT NULL,
	"concept" text NOT NULL,
	"unit" text NOT NULL,
	"period" text NOT NULL,
	"period_start" date,
	"period_end" date NOT NULL,
	"value" numeric NOT NULL,
	"label" text,
	"fiscal_year" integer,
	"fiscal_period" text,
	"form" text,
	"frame" text,
	CONSTRAINT "financial_facts_accession_taxonomy_concept_unit_period_pk" PRIMARY KEY("accession","taxonomy","concept","unit","period")
);
--> statement-breakpoint
ALTER TABLE "task_filings" ADD CONSTRAINT "task_filings_task_id_tasks_task_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("task_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "filing_sections" ADD CONSTRAINT "filing_sections_accession_filings_accession_fk" FOREIGN KEY ("accession") REFERENCES "public"."filings"("accession") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "filings" ADD CONSTRAINT "filings_cik_companies_cik_fk" FOREIGN KEY ("cik") REFERENCES "public"."companies"("cik") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "financial_facts" ADD CONSTRAINT "financial_facts_accession_filings_accession_fk" FOREIGN KEY ("accession") REFERENCES "public"."filings"("accession") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dead_letters_source_seq_idx" ON "dead_letters" USING btree ("source","seq");--> statement-breakpoint
CREATE INDEX "tasks_ticker_status_idx" ON "tasks" USING btree ("ticker","status");--> statement-breakpoint
CREATE INDEX "companies_tickers_idx" ON "companies" USING gin ("tickers");--> statement-breakpoint
CREATE INDEX "filings_cik_idx" ON "filings" USING btree ("cik","fiscal_year");--> statement-breakpoint
CREATE INDEX "financial_facts_cik_concept_idx" ON "financial_facts" USING btree ("cik","concept");