-- The CHECK constraints' value lists as comparisons (SQLite). SQLite codes `x IN ('a', 'b', 'c')`
-- of three or more values as a small temporary index of the values, and in a CHECK constraint
-- it builds that index anew for every row written (`EXPLAIN INSERT` shows the OpenEphemeral
-- inside the row loop; a WHERE clause builds it once a statement). `x = 'a' OR x = 'b' OR
-- x = 'c'` means the same (the same affinity and collation; NULL passes both) and costs a few
-- comparisons: a register row (attendance: status and hours_state) was ≈ 0.8 µs of list
-- building, a member with its admission event three lists (docs/benchmarks.md, "Loading members
-- from CSV"). 43 lists in 28 tables.
--
-- A CHECK that every row already satisfies can be changed in place by editing the table's
-- text in sqlite_schema, the procedure SQLite documents for changing constraints without a
-- rebuild (https://www.sqlite.org/lang_altertable.html, "Making Other Kinds Of Table Schema
-- Changes"); rebuilding the tables instead would copy the nation's 6.4 M members and 21.7 M
-- register rows. Each replace() names a list exactly as its CREATE TABLE wrote it; a test
-- (db_test.cpp, Sqlite.CheckListsAreComparisons) checks that every table's text is the old one
-- with exactly these rewrites and that no table's INSERT builds a temporary index any more, so
-- a list written as IN by a later migration fails it. PRAGMA writable_schema = RESET turns the
-- editing off and reloads this connection's schema; the table created and dropped after it
-- changes the schema version, so that other open connections reload theirs too.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (status IN (''active'', ''dissolved'', ''merged''))',
    'CHECK (status = ''active'' OR status = ''dissolved'' OR status = ''merged'')')
  WHERE type = 'table' AND name = 'orgs';
UPDATE sqlite_schema SET sql = replace(replace(sql,
    'CHECK (committee_role IN ('''', ''secretary'', ''deputy_secretary'', ''committee_member''))',
    'CHECK (committee_role = '''' OR committee_role = ''secretary'' OR committee_role = ''deputy_secretary'' OR committee_role = ''committee_member'')'),
    'CHECK (status IN (''active'', ''transferred_out'', ''matured'', ''removed''))',
    'CHECK (status = ''active'' OR status = ''transferred_out'' OR status = ''matured'' OR status = ''removed'')')
  WHERE type = 'table' AND name = 'members';
UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (kind IN (''admit'', ''enter'', ''transfer_out'', ''transfer_in'', ''split_move'', ''mature'', ''remove''))',
    'CHECK (kind = ''admit'' OR kind = ''enter'' OR kind = ''transfer_out'' OR kind = ''transfer_in'' OR kind = ''split_move'' OR kind = ''mature'' OR kind = ''remove'')')
  WHERE type = 'table' AND name = 'member_events';
UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (role IN (''system_admin'', ''org_manager'', ''branch_secretary'', ''member''))',
    'CHECK (role = ''system_admin'' OR role = ''org_manager'' OR role = ''branch_secretary'' OR role = ''member'')')
  WHERE type = 'table' AND name = 'users';
UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (status IN (''confirmed'', ''waitlisted'', ''cancelled''))',
    'CHECK (status = ''confirmed'' OR status = ''waitlisted'' OR status = ''cancelled'')')
  WHERE type = 'table' AND name = 'signups';
UPDATE sqlite_schema SET sql = replace(replace(sql,
    'CHECK (status IN (''present'', ''excused'', ''absent''))',
    'CHECK (status = ''present'' OR status = ''excused'' OR status = ''absent'')'),
    'CHECK (hours_state IN (''none'', ''checked'', ''claimed'', ''approved'', ''rejected''))',
    'CHECK (hours_state = ''none'' OR hours_state = ''checked'' OR hours_state = ''claimed'' OR hours_state = ''approved'' OR hours_state = ''rejected'')')
  WHERE type = 'table' AND name = 'attendance';
UPDATE sqlite_schema SET sql = replace(replace(sql,
    'CHECK (contributor_kind IN (''member'', ''unit'', ''agency'', ''person'', ''anonymous''))',
    'CHECK (contributor_kind = ''member'' OR contributor_kind = ''unit'' OR contributor_kind = ''agency'' OR contributor_kind = ''person'' OR contributor_kind = ''anonymous'')'),
    'CHECK (method IN (''cash'', ''transfer'', ''in_kind''))',
    'CHECK (method = ''cash'' OR method = ''transfer'' OR method = ''in_kind'')')
  WHERE type = 'table' AND name = 'contributions';
UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (status IN (''open'', ''closed'', ''picked_up''))',
    'CHECK (status = ''open'' OR status = ''closed'' OR status = ''picked_up'')')
  WHERE type = 'table' AND name = 'produce_cycles';
UPDATE sqlite_schema SET sql = replace(replace(sql,
    'CHECK (weight_class IN (''<42'', ''42-45'', ''45-50'', ''>=50''))',
    'CHECK (weight_class = ''<42'' OR weight_class = ''42-45'' OR weight_class = ''45-50'' OR weight_class = ''>=50'')'),
    'CHECK (blood_group IN (''O-'', ''O+'', ''A-'', ''A+'', ''B-'', ''B+'', ''AB-'', ''AB+''))',
    'CHECK (blood_group = ''O-'' OR blood_group = ''O+'' OR blood_group = ''A-'' OR blood_group = ''A+'' OR blood_group = ''B-'' OR blood_group = ''B+'' OR blood_group = ''AB-'' OR blood_group = ''AB+'')')
  WHERE type = 'table' AND name = 'blood_donors';
UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (kind IN (''join'', ''health'', ''call'', ''location''))',
    'CHECK (kind = ''join'' OR kind = ''health'' OR kind = ''call'' OR kind = ''location'')')
  WHERE type = 'table' AND name = 'blood_consent_events';
UPDATE sqlite_schema SET sql = replace(replace(replace(sql,
    'CHECK (recipient_group IN (''O-'', ''O+'', ''A-'', ''A+'', ''B-'', ''B+'', ''AB-'', ''AB+''))',
    'CHECK (recipient_group = ''O-'' OR recipient_group = ''O+'' OR recipient_group = ''A-'' OR recipient_group = ''A+'' OR recipient_group = ''B-'' OR recipient_group = ''B+'' OR recipient_group = ''AB-'' OR recipient_group = ''AB+'')'),
    'CHECK (component IN (''whole_blood'', ''red_cells'', ''plasma'', ''platelets''))',
    'CHECK (component = ''whole_blood'' OR component = ''red_cells'' OR component = ''plasma'' OR component = ''platelets'')'),
    'CHECK (status IN (''open'', ''served'', ''cancelled''))',
    'CHECK (status = ''open'' OR status = ''served'' OR status = ''cancelled'')')
  WHERE type = 'table' AND name = 'blood_requests';
UPDATE sqlite_schema SET sql = replace(replace(sql,
    'CHECK (type IN (''whole_blood'', ''apheresis_red_cells'', ''platelets'', ''plasma''))',
    'CHECK (type = ''whole_blood'' OR type = ''apheresis_red_cells'' OR type = ''platelets'' OR type = ''plasma'')'),
    'CHECK (volume_ml IN (250, 350, 450))',
    'CHECK (volume_ml = 250 OR volume_ml = 350 OR volume_ml = 450)')
  WHERE type = 'table' AND name = 'blood_donations';
UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (class IN (''months_12'', ''months_6'', ''weeks_4'', ''days_7'', ''custom''))',
    'CHECK (class = ''months_12'' OR class = ''months_6'' OR class = ''weeks_4'' OR class = ''days_7'' OR class = ''custom'')')
  WHERE type = 'table' AND name = 'blood_deferrals';
UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (outcome IN (''no_answer'', ''declined'', ''accepted'', ''donated''))',
    'CHECK (outcome = ''no_answer'' OR outcome = ''declined'' OR outcome = ''accepted'' OR outcome = ''donated'')')
  WHERE type = 'table' AND name = 'blood_calls';
UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (status IN (''pending'', ''sending'', ''sent'', ''failed''))',
    'CHECK (status = ''pending'' OR status = ''sending'' OR status = ''sent'' OR status = ''failed'')')
  WHERE type = 'table' AND name = 'outbox';
UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (source IN (''signup'', ''roster'', ''swap'', ''coordinator''))',
    'CHECK (source = ''signup'' OR source = ''roster'' OR source = ''swap'' OR source = ''coordinator'')')
  WHERE type = 'table' AND name = 'desk_assignments';
UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (state IN (''open'', ''accepted'', ''approved'', ''refused'', ''cancelled''))',
    'CHECK (state = ''open'' OR state = ''accepted'' OR state = ''approved'' OR state = ''refused'' OR state = ''cancelled'')')
  WHERE type = 'table' AND name = 'desk_requests';
UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (level IN (''3'', ''4'', ''full'', ''partial''))',
    'CHECK (level = ''3'' OR level = ''4'' OR level = ''full'' OR level = ''partial'')')
  WHERE type = 'table' AND name = 'desk_procedures';
UPDATE sqlite_schema SET sql = replace(replace(sql,
    'CHECK (level IN (''3'', ''4'', ''full'', ''partial''))',
    'CHECK (level = ''3'' OR level = ''4'' OR level = ''full'' OR level = ''partial'')'),
    'CHECK (outcome IN (''submitted'', ''missing_papers'', ''referred''))',
    'CHECK (outcome = ''submitted'' OR outcome = ''missing_papers'' OR outcome = ''referred'')')
  WHERE type = 'table' AND name = 'desk_assists';
UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (rotation IN (0, 90, 180, 270))',
    'CHECK (rotation = 0 OR rotation = 90 OR rotation = 180 OR rotation = 270)')
  WHERE type = 'table' AND name = 'scan_pages';
UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (state IN (''draft'', ''submitted'', ''mentoring'', ''accepted'', ''rejected'', ''implemented'', ''withdrawn'', ''archived''))',
    'CHECK (state = ''draft'' OR state = ''submitted'' OR state = ''mentoring'' OR state = ''accepted'' OR state = ''rejected'' OR state = ''implemented'' OR state = ''withdrawn'' OR state = ''archived'')')
  WHERE type = 'table' AND name = 'ideas';
UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (mime IN (''image/jpeg'', ''image/png'', ''image/webp'', ''application/pdf''))',
    'CHECK (mime = ''image/jpeg'' OR mime = ''image/png'' OR mime = ''image/webp'' OR mime = ''application/pdf'')')
  WHERE type = 'table' AND name = 'idea_attachments';
UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (kind IN (''answer'', ''mentor'', ''state'', ''coauthor'', ''comment''))',
    'CHECK (kind = ''answer'' OR kind = ''mentor'' OR kind = ''state'' OR kind = ''coauthor'' OR kind = ''comment'')')
  WHERE type = 'table' AND name = 'idea_notices';
UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (state IN (''draft'', ''awaiting'', ''published'', ''withdrawn''))',
    'CHECK (state = ''draft'' OR state = ''awaiting'' OR state = ''published'' OR state = ''withdrawn'')')
  WHERE type = 'table' AND name = 'news_posts';
UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (kind IN (''certificate_of_merit'', ''commendation'', ''flag'', ''title'', ''other''))',
    'CHECK (kind = ''certificate_of_merit'' OR kind = ''commendation'' OR kind = ''flag'' OR kind = ''title'' OR kind = ''other'')')
  WHERE type = 'table' AND name = 'awards';
UPDATE sqlite_schema SET sql = replace(replace(replace(sql,
    'CHECK (level IN (''excellent'', ''good'', ''completed''))',
    'CHECK (level = ''excellent'' OR level = ''good'' OR level = ''completed'')'),
    'CHECK (max_discipline IN (''none'', ''reminded'', ''disciplined''))',
    'CHECK (max_discipline = ''none'' OR max_discipline = ''reminded'' OR max_discipline = ''disciplined'')'),
    'CHECK (min_conduct IN (''good'', ''fair'', ''poor''))',
    'CHECK (min_conduct = ''good'' OR min_conduct = ''fair'' OR min_conduct = ''poor'')')
  WHERE type = 'table' AND name = 'rating_thresholds';
UPDATE sqlite_schema SET sql = replace(replace(replace(replace(replace(replace(sql,
    'CHECK (state IN (''draft'', ''confirmed'', ''approved'', ''returned''))',
    'CHECK (state = ''draft'' OR state = ''confirmed'' OR state = ''approved'' OR state = ''returned'')'),
    'CHECK (discipline IN (''none'', ''reminded'', ''disciplined''))',
    'CHECK (discipline = ''none'' OR discipline = ''reminded'' OR discipline = ''disciplined'')'),
    'CHECK (conduct IN (''good'', ''fair'', ''poor''))',
    'CHECK (conduct = ''good'' OR conduct = ''fair'' OR conduct = ''poor'')'),
    'CHECK (proposed_level IN (''excellent'', ''good'', ''completed'', ''not_completed''))',
    'CHECK (proposed_level = ''excellent'' OR proposed_level = ''good'' OR proposed_level = ''completed'' OR proposed_level = ''not_completed'')'),
    'CHECK (chosen_level IN (''excellent'', ''good'', ''completed'', ''not_completed''))',
    'CHECK (chosen_level = ''excellent'' OR chosen_level = ''good'' OR chosen_level = ''completed'' OR chosen_level = ''not_completed'')'),
    'CHECK (level IN (''excellent'', ''good'', ''completed'', ''not_completed''))',
    'CHECK (level = ''excellent'' OR level = ''good'' OR level = ''completed'' OR level = ''not_completed'')')
  WHERE type = 'table' AND name = 'member_ratings';
UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (state IN (''draft'', ''confirmed'', ''approved'', ''returned''))',
    'CHECK (state = ''draft'' OR state = ''confirmed'' OR state = ''approved'' OR state = ''returned'')')
  WHERE type = 'table' AND name = 'classification_sheets';
PRAGMA writable_schema = RESET;
CREATE TABLE schema_version_bump (x BIGINT);
DROP TABLE schema_version_bump;
