-- Produce drive (mua nông sản giúp nông dân): suppliers, products, order cycles, member orders,
-- case rounding at close (Foodsoft). docs/produce.md has the rules.
-- Local times TEXT 'YYYY-MM-DDTHH:MM' (Vietnam); dates TEXT 'YYYY-MM-DD'; instants BIGINT unix
-- seconds; money BIGINT VND; quantities BIGINT whole units of the product.

-- A farmer (nông hộ) or a cooperative (hợp tác xã) the org buys from. contact is personal data:
-- shown to the committee only.
CREATE TABLE produce_suppliers (
  id {{ID}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('farmer', 'cooperative')),
  place TEXT NOT NULL DEFAULT '',
  contact TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  active BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  UNIQUE (org_id, name)
);

-- A product of a supplier: price per unit, case size in units (1 = sold loose), step: orders
-- and tolerances are whole multiples of it (mango in 5 kg boxes: step 5). case_size % step = 0.
CREATE TABLE produce_products (
  id {{ID}},
  supplier_id BIGINT NOT NULL REFERENCES produce_suppliers(id),
  name TEXT NOT NULL,
  unit TEXT NOT NULL,
  price_vnd BIGINT NOT NULL CHECK (price_vnd > 0),
  case_size BIGINT NOT NULL CHECK (case_size >= 1),
  step BIGINT NOT NULL CHECK (step >= 1),
  active BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  UNIQUE (supplier_id, name)
);

-- An order cycle (đợt đặt hàng) of one supplier, organised by an org; members of its subtree
-- order in [opens_at, closes_at). status: open -> closed (cases rounded, allocations fixed)
-- -> picked_up. order_seq is bumped by every order and by the close: that row lock serialises
-- them, so an order never slips in after the close.
CREATE TABLE produce_cycles (
  id {{ID}},
  supplier_id BIGINT NOT NULL REFERENCES produce_suppliers(id),
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  title TEXT NOT NULL,
  opens_at TEXT NOT NULL,
  closes_at TEXT NOT NULL,
  pickup_on TEXT NOT NULL,
  pickup_place TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed', 'picked_up')),
  closed_at BIGINT,
  order_seq BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  CHECK (opens_at < closes_at)
);
CREATE INDEX produce_cycles_org ON produce_cycles(org_id, opens_at);

-- The products a cycle offers, with price, case size and step as they were when it opened.
-- cases and units are set when the cycle closes.
CREATE TABLE produce_cycle_products (
  cycle_id BIGINT NOT NULL REFERENCES produce_cycles(id),
  product_id BIGINT NOT NULL REFERENCES produce_products(id),
  price_vnd BIGINT NOT NULL,
  case_size BIGINT NOT NULL,
  step BIGINT NOT NULL,
  position BIGINT NOT NULL,
  cases BIGINT,
  units BIGINT,
  PRIMARY KEY (cycle_id, product_id)
);

-- One member's order in a cycle; picked_up and paid are the pickup checklist's marks.
CREATE TABLE produce_orders (
  id {{ID}},
  cycle_id BIGINT NOT NULL REFERENCES produce_cycles(id),
  member_id BIGINT NOT NULL REFERENCES members(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  picked_up BIGINT NOT NULL DEFAULT 0,
  paid BIGINT NOT NULL DEFAULT 0,
  UNIQUE (cycle_id, member_id)
);

-- A line of an order: quantity and tolerance (extra units accepted to fill a case). ordered_at
-- is the line's place in the queue (unix seconds): set when the line is created and moved to
-- the change when its quantity grows. allocated is set when the cycle closes.
CREATE TABLE produce_order_items (
  order_id BIGINT NOT NULL REFERENCES produce_orders(id),
  product_id BIGINT NOT NULL REFERENCES produce_products(id),
  quantity BIGINT NOT NULL CHECK (quantity > 0),
  tolerance BIGINT NOT NULL DEFAULT 0 CHECK (tolerance >= 0),
  ordered_at BIGINT NOT NULL,
  allocated BIGINT,
  PRIMARY KEY (order_id, product_id)
);
