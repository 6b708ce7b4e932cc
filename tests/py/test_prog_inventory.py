# small program: inventory records with dicts/tuples, grouping, sorting by several keys, report formatting
rows = """widget,tools,4,2.50
gadget,toys,10,1.25
doohickey,tools,1,10.00
whatsit,toys,0,3.75
gizmo,electronics,7,19.99
thingamajig,electronics,2,5.00
sprocket,tools,12,0.75"""
items = []
for line in rows.splitlines():
    name, cat, qty, price = line.split(",")
    items.append({"name": name, "cat": cat, "qty": int(qty), "price": float(price)})
print(len(items), sorted({i["cat"] for i in items}))
by_cat = {}
for it in items:
    by_cat.setdefault(it["cat"], []).append(it)
for cat in sorted(by_cat):
    group = by_cat[cat]
    value = sum(i["qty"] * i["price"] for i in group)
    print("%-12s n=%d qty=%3d value=%8.2f" % (cat, len(group), sum(i["qty"] for i in group), value))
in_stock = [i["name"] for i in items if i["qty"]]
print(in_stock)
print([i["name"] for i in sorted(items, key=lambda i: (i["cat"], -i["qty"]))])
print(max(items, key=lambda i: i["qty"] * i["price"])["name"])
print(min(items, key=lambda i: (i["price"], i["name"]))["name"])
restock = {i["name"]: 10 - i["qty"] for i in items if i["qty"] < 5}
print(restock)
for name, n in sorted(restock.items(), key=lambda kv: -kv[1]):
    print(f"{name:>12}: +{n:<3d}|")
total = round(sum(i["qty"] * i["price"] for i in items), 2)
print("total value", total, f"{total:,.2f}")
names_by_len = sorted((len(i["name"]), i["name"]) for i in items)
print(names_by_len[0], names_by_len[-1])
