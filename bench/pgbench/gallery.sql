\set id random(1, :products)
SELECT p.id, p.name, p.version, i.id, i.position, i.url, i.thumbnail_url, i.alt, i.width, i.height,
       i.renditions, i.placeholder, i.color
FROM products p
LEFT JOIN images i ON i.product_id = p.id AND i.status = 'ready'
WHERE p.id = :id
ORDER BY i.position;
