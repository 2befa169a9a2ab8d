-- The review queue is read a window at a time in capture order (keyset pagination on
-- captured_at, sha256), so opening and scrolling it costs the same with 50 items or
-- 50,000. This index is that order.
CREATE INDEX evidence_capture_order ON evidence(captured_at, sha256);

-- The queue is counted per task and collectors from this index alone (no table rows read).
CREATE INDEX evidence_queue_groups ON evidence(inspection_id, officer_ids, media_type);
