def line_name(n):
	return "Line %d" % n
