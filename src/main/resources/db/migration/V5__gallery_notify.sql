-- Every change to a gallery bumps its product's version (or deletes the product), so one
-- trigger on products tells every instance which cached gallery to drop. NOTIFY is
-- transactional: listeners hear it only once the change is committed.
CREATE FUNCTION notify_gallery_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('gallery_changed', OLD.id::text);
    RETURN NULL;
END;
$$;

CREATE TRIGGER products_gallery_changed
    AFTER UPDATE OR DELETE ON products
    FOR EACH ROW EXECUTE FUNCTION notify_gallery_changed();
