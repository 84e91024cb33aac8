SELECT order_no, qty
FROM orders
WHERE line = :line
ORDER BY {orderBy}