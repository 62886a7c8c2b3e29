CREATE TABLE "edgar_tickers" (
	"ticker" text PRIMARY KEY NOT NULL,
	"cik" text NOT NULL,
	"title" text NOT NULL,
	"sec_order" integer NOT NULL,
	"refreshed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "edgar_tickers_ticker_prefix_idx" ON "edgar_tickers" USING btree ("ticker" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "edgar_tickers_title_prefix_idx" ON "edgar_tickers" USING btree (lower("title") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "edgar_tickers_cik_idx" ON "edgar_tickers" USING btree ("cik");