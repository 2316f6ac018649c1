-- Footnotes for a synthetic archive (bench data, never a real one): two published
-- synthetic sources, one citing every filled fact of every victim, the other those of a
-- fifth of them, as `import_records --source` would have cited the lists. The bench's
-- million is built without citations; its pages are only measured with footnotes after
-- this (docs/benchmarks.md, "Issue 26, tenth session"):
--
--   createdb -O archive -T archive_1m archive_1mc
--   psql postgres://archive:archive@127.0.0.1:5432/archive_1mc -f bench/cite_synthetic.sql
--
-- The victims' content type is looked up, not assumed. About 2 minutes at a million.
\timing on
CREATE TEMP TABLE bench_src AS
WITH made AS (
  INSERT INTO sources_source (publication_status, published_at, created_at, updated_at, kind,
                              title, publisher, author, date, date_precision, url,
                              archived_url, language, is_private, notes)
  SELECT 'published', now(), now(), now(), 'report', t, 'bench', 'bench', '2024-01-01', 'day',
         '', '', 'en', false, ''
  FROM (VALUES ('Synthetic million list A (bench, not real)'),
               ('Synthetic million list B (bench, not real)')) s(t)
  RETURNING id, title)
SELECT * FROM made;
INSERT INTO sources_citation (object_id, claim, locator, quote, confidence, created_at,
                              content_type_id, source_id, value)
SELECT v.id, c.claim, 'row ' || v.id, '', 'medium', now(), ct.id, s.id, ''
FROM victims_victim v
CROSS JOIN bench_src s
CROSS JOIN (SELECT id FROM django_content_type
            WHERE app_label = 'victims' AND model = 'victim') ct
CROSS JOIN LATERAL (VALUES
  ('name_latin', v.name_latin <> ''), ('name_fa', v.name_fa <> ''),
  ('father_name', v.father_name <> ''), ('gender', v.gender <> ''),
  ('birth_year', v.birth_year IS NOT NULL), ('arrest_date', v.arrest_date IS NOT NULL),
  ('prison', v.prison_id IS NOT NULL), ('fate', v.fate <> ''),
  ('death_date', v.death_date IS NOT NULL), ('event', v.event_id IS NOT NULL)) c(claim, filled)
WHERE c.filled AND v.ref LIKE 'SYN-%' AND (s.title LIKE '%list A%' OR v.id % 5 = 0);
ANALYZE sources_citation;
SELECT count(*) AS citations FROM sources_citation;
