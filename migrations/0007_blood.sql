-- Blood-donation club (CLB hiến máu "Máu sống – Máu hiếm"): donors with separate revocable
-- consents, donations, deferrals, emergency requests, the call-out log and reminders.
-- Blood group, phenotype, deferrals and district are sensitive personal data (Law 91/2025/QH15):
-- withdrawing a consent clears them here, not merely hides them. Deferrals carry a class and
-- dates only, never a diagnosis. Rules (eligibility, compatibility, ranking) are in
-- src/blood/rules.hpp; columns marked "derived" are recomputed by blood::Store on every change.
-- Dates TEXT 'YYYY-MM-DD'; instants BIGINT unix seconds; booleans BIGINT 0/1.

-- A club belongs to an org (a branch or a level above it). Its coordinators are the users
-- holding the blood_coordinator grant on that org (user_grants, migration 0009).
CREATE TABLE blood_clubs (
  id {{ID}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  name TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (org_id, name)
);


-- A donor (người hiến máu): a member of any branch (member_id; name, phone, sex and birth date
-- come from the roll when not given) or an outsider (name and phone here).
-- blood_group NULL = not yet tested (or health consent withdrawn). phenotype: 14 characters,
-- one per antigen in the order C c E e K Jka Jkb Fya Fyb M N S s Mia, each '+', '-' or '?'.
-- consent_*_on: the date the consent was given, NULL when not given or withdrawn (the history
-- is in blood_consent_events). There is no "join" NULL: withdrawing it deletes the donor.
CREATE TABLE blood_donors (
  id {{ID}},
  club_id BIGINT NOT NULL REFERENCES blood_clubs(id),
  member_id BIGINT REFERENCES members(id),
  name TEXT NOT NULL DEFAULT '',
  phone TEXT,
  sex TEXT NOT NULL CHECK (sex IN ('male', 'female')),
  birth_date TEXT NOT NULL,
  weight_class TEXT NOT NULL CHECK (weight_class IN ('<42', '42-45', '45-50', '>=50')),
  blood_group TEXT CHECK (blood_group IN ('O-', 'O+', 'A-', 'A+', 'B-', 'B+', 'AB-', 'AB+')),
  phenotype TEXT NOT NULL DEFAULT '??????????????' CHECK (length(phenotype) = 14),
  phenotype_tested_on TEXT,
  phenotype_lab TEXT NOT NULL DEFAULT '',
  district TEXT NOT NULL DEFAULT '',
  commune TEXT NOT NULL DEFAULT '',
  on_call BIGINT NOT NULL DEFAULT 0 CHECK (on_call IN (0, 1)),
  availability TEXT NOT NULL DEFAULT '',
  consent_join_on TEXT NOT NULL,
  consent_health_on TEXT,
  consent_call_on TEXT,
  consent_location_on TEXT,
  -- derived: join, health and call consents given and on call
  callable BIGINT NOT NULL DEFAULT 0 CHECK (callable IN (0, 1)),
  -- derived: the latest donation
  last_donation_on TEXT,
  last_donation_type TEXT,
  -- derived (rules::standing): from this date on the age-18, interval and deferral rules pass
  -- for good; NULL = never (weight below the minimum). eligible_until: the 61st birthday.
  next_eligible_on TEXT,
  eligible_until TEXT NOT NULL,
  -- derived from blood_calls: requests the donor was called for, of which accepted; the
  -- smoothed response rate in basis points (rules::response_bp); the last call (0 = never)
  contacts BIGINT NOT NULL DEFAULT 0,
  accepted BIGINT NOT NULL DEFAULT 0,
  response_bp BIGINT NOT NULL DEFAULT 5000,
  last_contacted_at BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (club_id, member_id)
);
CREATE INDEX blood_donors_club ON blood_donors(club_id, id);
CREATE INDEX blood_donors_member ON blood_donors(member_id);
-- Reminders (due on one date). Not led by club_id: SQLite without statistics would otherwise
-- prefer it to the matching indexes below for "club_id = ? AND next_eligible_on <= ?".
CREATE INDEX blood_donors_next ON blood_donors(next_eligible_on);
-- Matching (blood::Store::match): per compatible group, callable donors already in ranking order
-- (response rate, longest since last contacted, id), once for any district and once within one
-- district, so each bucket is read in order and stops at the limit. The trailing columns make
-- the indexes covering: the filters (eligibility, phenotype) are checked on index entries, and
-- PostgreSQL can answer with index-only scans.
CREATE INDEX blood_donors_match ON blood_donors(club_id, blood_group, response_bp DESC, last_contacted_at, id, next_eligible_on,
  eligible_until, phenotype, district, contacts, accepted) WHERE callable = 1;
CREATE INDEX blood_donors_match_district ON blood_donors(club_id, blood_group, district, response_bp DESC, last_contacted_at, id,
  next_eligible_on, eligible_until, phenotype, contacts, accepted) WHERE callable = 1;
-- Requests with required antigen negatives: only donors with a known phenotype can match ('?'
-- never does), usually a small part of the club.
CREATE INDEX blood_donors_match_typed ON blood_donors(club_id, blood_group, response_bp DESC, last_contacted_at, id, next_eligible_on,
  eligible_until, phenotype, district, contacts, accepted) WHERE callable = 1 AND phenotype <> '??????????????';

CREATE TABLE blood_consent_events (
  id {{ID}},
  donor_id BIGINT NOT NULL REFERENCES blood_donors(id),
  kind TEXT NOT NULL CHECK (kind IN ('join', 'health', 'call', 'location')),
  given BIGINT NOT NULL CHECK (given IN (0, 1)),
  on_date TEXT NOT NULL,
  recorded_at BIGINT NOT NULL
);
CREATE INDEX blood_consent_events_donor ON blood_consent_events(donor_id, id);

-- An emergency request (yêu cầu máu khẩn cấp) from a hospital. antigen_negatives: antigens the
-- donor must lack, comma-separated names ("K,Jka"), '' for none.
CREATE TABLE blood_requests (
  id {{ID}},
  club_id BIGINT NOT NULL REFERENCES blood_clubs(id),
  hospital TEXT NOT NULL,
  recipient_group TEXT NOT NULL CHECK (recipient_group IN ('O-', 'O+', 'A-', 'A+', 'B-', 'B+', 'AB-', 'AB+')),
  component TEXT NOT NULL CHECK (component IN ('whole_blood', 'red_cells', 'plasma', 'platelets')),
  units BIGINT NOT NULL CHECK (units BETWEEN 1 AND 20),
  needed_by TEXT NOT NULL,
  district TEXT NOT NULL DEFAULT '',
  antigen_negatives TEXT NOT NULL DEFAULT '',
  contact_name TEXT NOT NULL,
  contact_phone TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'served', 'cancelled')),
  -- NULL when loaded from a bundle whose user is not in the database (bundles carry no users)
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL
);
CREATE INDEX blood_requests_club ON blood_requests(club_id, created_at);

-- A donation (lần hiến). volume_ml only for whole blood (250, 350, 450).
CREATE TABLE blood_donations (
  id {{ID}},
  donor_id BIGINT NOT NULL REFERENCES blood_donors(id),
  on_date TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('whole_blood', 'apheresis_red_cells', 'platelets', 'plasma')),
  volume_ml BIGINT CHECK (volume_ml IN (250, 350, 450)),
  place TEXT NOT NULL DEFAULT '',
  request_id BIGINT REFERENCES blood_requests(id),
  recorded_at BIGINT NOT NULL,
  CHECK ((type = 'whole_blood') = (volume_ml IS NOT NULL))
);
CREATE INDEX blood_donations_donor ON blood_donations(donor_id, on_date);

-- A deferral (hoãn hiến): class and dates only. The donor may donate again on ends_on.
CREATE TABLE blood_deferrals (
  id {{ID}},
  donor_id BIGINT NOT NULL REFERENCES blood_donors(id),
  class TEXT NOT NULL CHECK (class IN ('months_12', 'months_6', 'weeks_4', 'days_7', 'custom')),
  starts_on TEXT NOT NULL,
  ends_on TEXT NOT NULL,
  recorded_at BIGINT NOT NULL,
  CHECK (ends_on > starts_on)
);
CREATE INDEX blood_deferrals_donor ON blood_deferrals(donor_id, starts_on);

-- The call-out log: one row per call outcome.
CREATE TABLE blood_calls (
  id {{ID}},
  request_id BIGINT NOT NULL REFERENCES blood_requests(id),
  donor_id BIGINT NOT NULL REFERENCES blood_donors(id),
  outcome TEXT NOT NULL CHECK (outcome IN ('no_answer', 'declined', 'accepted', 'donated')),
  at BIGINT NOT NULL,
  logged_by BIGINT REFERENCES users(id),  -- NULL: see blood_requests.created_by
  donation_id BIGINT REFERENCES blood_donations(id)
);
CREATE INDEX blood_calls_request ON blood_calls(request_id, donor_id, id);
CREATE INDEX blood_calls_donor ON blood_calls(donor_id);

-- "You can donate again" reminders already sent: one per donor and eligibility date.
CREATE TABLE blood_reminders (
  donor_id BIGINT NOT NULL REFERENCES blood_donors(id),
  due_on TEXT NOT NULL,
  sent_at BIGINT NOT NULL,
  PRIMARY KEY (donor_id, due_on)
);

-- Donations of deleted donors, counted per club and year and nothing else, so that the
-- club's yearly statistics do not shrink when a donor leaves.
CREATE TABLE blood_removed_donations (
  club_id BIGINT NOT NULL REFERENCES blood_clubs(id),
  year BIGINT NOT NULL,
  donations BIGINT NOT NULL,
  PRIMARY KEY (club_id, year)
);
