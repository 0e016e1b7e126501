from frappe.utils import make_filter_tuple, make_filter_dict, is_subset, sha256_hash, url_contains_port
print(make_filter_tuple("ToDo", "status", "Open"), make_filter_tuple("ToDo", "qty", (">", 3)))
print(make_filter_dict([["ToDo", "status", "=", "Open"], ("ToDo", "qty", ">", 2)]))
print(is_subset([1, 2], [2, 3, 1]), is_subset([1, 4], [1]), is_subset([], [1]), is_subset(["a", "a"], ["a"]))
print(sha256_hash("abc"), sha256_hash("ünï"), url_contains_port("http://a:80"), url_contains_port("https://a.b"))
