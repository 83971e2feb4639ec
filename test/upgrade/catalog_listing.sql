-- test/upgrade/catalog_listing.sql: a temporary view retention_catalog(kind, object, facts)
-- listing every member object of the retention extension with the catalog facts that
-- matter, in words free of OIDs, so that the listings of two databases can be compared
-- (test/upgrade/run: a fresh CREATE EXTENSION against an old release + ALTER EXTENSION
-- UPDATE). One row per object and kind:
--   extension   version, schema, relocatable, configuration tables
--   member      every pg_depend 'e' member (pg_identify_object type + identity)
--   function    pg_proc facts of every member function and aggregate
--   aggregate   every pg_aggregate column (functions as regprocedure text)
--   type        pg_type facts (I/O, typmod and analyze functions, length, alignment, ...)
--   attribute   composite types' attributes, in order, with their types
--   cast, operator, opclass/opfamily (through member), comment, acl
CREATE TEMP VIEW retention_catalog AS
WITH ext AS (
    SELECT oid, extnamespace FROM pg_extension WHERE extname = 'retention'
), members AS (
    SELECT d.classid, d.objid, d.objsubid
    FROM pg_depend d JOIN ext ON d.refobjid = ext.oid
    WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
), fn(oid) AS (
    SELECT objid FROM members WHERE classid = 'pg_proc'::regclass
), ty(oid) AS (
    SELECT objid FROM members WHERE classid = 'pg_type'::regclass
)
SELECT 'extension' AS kind, e.extname::text AS object,
       concat_ws(' | ', 'version=' || e.extversion,
                 'default_version=' || (SELECT default_version FROM pg_available_extensions WHERE name = e.extname),
                 'schema=' || e.extnamespace::regnamespace::text,
                 'relocatable=' || e.extrelocatable,
                 'config=' || coalesce((SELECT string_agg(c::regclass::text, ',' ORDER BY c::regclass::text)
                                        FROM unnest(e.extconfig) c), '-'),
                 'condition=' || coalesce(array_to_string(e.extcondition, ','), '-')) AS facts
FROM pg_extension e WHERE e.extname = 'retention'
UNION ALL
SELECT 'member', i.type || ' ' || i.identity, ''
FROM members m, LATERAL pg_identify_object(m.classid, m.objid, m.objsubid) i
UNION ALL
SELECT 'function', p.oid::regprocedure::text,
       concat_ws(' | ',
                 'kind=' || p.prokind::text,
                 'args=' || pg_get_function_arguments(p.oid),
                 'result=' || pg_get_function_result(p.oid),
                 'language=' || l.lanname,
                 'strict=' || p.proisstrict,
                 'volatility=' || p.provolatile::text,
                 'parallel=' || p.proparallel::text,
                 'security_definer=' || p.prosecdef,
                 'leakproof=' || p.proleakproof,
                 'returns_set=' || p.proretset,
                 'cost=' || p.procost,
                 'rows=' || p.prorows,
                 'variadic=' || p.provariadic::regtype::text,
                 'support=' || p.prosupport::regproc::text,
                 'config=' || coalesce(array_to_string(p.proconfig, ','), '-'),
                 'src=' || p.prosrc,
                 'bin=' || coalesce(p.probin, '-'),
                 'owner=' || pg_get_userbyid(p.proowner))
FROM fn JOIN pg_proc p ON p.oid = fn.oid JOIN pg_language l ON l.oid = p.prolang
UNION ALL
SELECT 'aggregate', a.aggfnoid::regprocedure::text,
       concat_ws(' | ',
                 'kind=' || a.aggkind::text,
                 'direct_args=' || a.aggnumdirectargs,
                 'transfn=' || a.aggtransfn::regprocedure::text,
                 'finalfn=' || a.aggfinalfn::regprocedure::text,
                 'combinefn=' || a.aggcombinefn::regprocedure::text,
                 'serialfn=' || a.aggserialfn::regprocedure::text,
                 'deserialfn=' || a.aggdeserialfn::regprocedure::text,
                 'mtransfn=' || a.aggmtransfn::regprocedure::text,
                 'minvtransfn=' || a.aggminvtransfn::regprocedure::text,
                 'mfinalfn=' || a.aggmfinalfn::regprocedure::text,
                 'finalextra=' || a.aggfinalextra,
                 'mfinalextra=' || a.aggmfinalextra,
                 'finalmodify=' || a.aggfinalmodify::text,
                 'mfinalmodify=' || a.aggmfinalmodify::text,
                 'sortop=' || a.aggsortop::regoperator::text,
                 'transtype=' || a.aggtranstype::regtype::text,
                 'transspace=' || a.aggtransspace,
                 'mtranstype=' || a.aggmtranstype::regtype::text,
                 'mtransspace=' || a.aggmtransspace,
                 'initval=' || coalesce(a.agginitval, '<null>'),
                 'minitval=' || coalesce(a.aggminitval, '<null>'))
FROM fn JOIN pg_aggregate a ON a.aggfnoid = fn.oid
UNION ALL
SELECT 'type', t.oid::regtype::text,
       concat_ws(' | ',
                 'typtype=' || t.typtype::text,
                 'len=' || t.typlen,
                 'byval=' || t.typbyval,
                 'category=' || t.typcategory::text,
                 'preferred=' || t.typispreferred,
                 'defined=' || t.typisdefined,
                 'delim=' || t.typdelim::text,
                 'relkind=' || coalesce((SELECT c.relkind::text FROM pg_class c WHERE c.oid = t.typrelid), '-'),
                 'subscript=' || t.typsubscript::regproc::text,
                 'elem=' || t.typelem::regtype::text,
                 'array=' || t.typarray::regtype::text,
                 'input=' || t.typinput::regprocedure::text,
                 'output=' || t.typoutput::regprocedure::text,
                 'receive=' || t.typreceive::regprocedure::text,
                 'send=' || t.typsend::regprocedure::text,
                 'typmodin=' || t.typmodin::regprocedure::text,
                 'typmodout=' || t.typmodout::regprocedure::text,
                 'analyze=' || t.typanalyze::regprocedure::text,
                 'align=' || t.typalign::text,
                 'storage=' || t.typstorage::text,
                 'notnull=' || t.typnotnull,
                 'basetype=' || t.typbasetype::regtype::text,
                 'typmod=' || t.typtypmod,
                 'ndims=' || t.typndims,
                 'collation=' || t.typcollation,
                 'default=' || coalesce(t.typdefault, '<null>'),
                 'owner=' || pg_get_userbyid(t.typowner),
                 -- the array type that comes with it
                 'array_facts=' || coalesce((SELECT concat_ws(',', at.typalign::text, at.typstorage::text, at.typlen, at.typcategory::text,
                                                              at.typsubscript::regproc::text)
                                             FROM pg_type at WHERE at.oid = t.typarray), '-'))
FROM ty JOIN pg_type t ON t.oid = ty.oid
UNION ALL
SELECT 'attribute', t.oid::regtype::text || '.' || lpad(a.attnum::text, 3, '0') || ' ' || a.attname,
       concat_ws(' | ',
                 'type=' || format_type(a.atttypid, a.atttypmod),
                 'notnull=' || a.attnotnull,
                 'collation=' || a.attcollation,
                 'dropped=' || a.attisdropped,
                 'storage=' || a.attstorage::text,
                 'align=' || a.attalign::text)
FROM ty JOIN pg_type t ON t.oid = ty.oid
JOIN pg_attribute a ON a.attrelid = t.typrelid AND a.attnum > 0
UNION ALL
SELECT 'cast', format_type(c.castsource, NULL) || ' AS ' || format_type(c.casttarget, NULL),
       concat_ws(' | ', 'func=' || c.castfunc::regprocedure::text,
                 'context=' || c.castcontext::text, 'method=' || c.castmethod::text)
FROM members m JOIN pg_cast c ON m.classid = 'pg_cast'::regclass AND c.oid = m.objid
UNION ALL
SELECT 'operator', o.oid::regoperator::text,
       concat_ws(' | ', 'result=' || o.oprresult::regtype::text, 'code=' || o.oprcode::regprocedure::text,
                 'commutator=' || o.oprcom::regoperator::text, 'negator=' || o.oprnegate::regoperator::text,
                 'restrict=' || o.oprrest::regproc::text, 'join=' || o.oprjoin::regproc::text,
                 'merges=' || o.oprcanmerge, 'hashes=' || o.oprcanhash)
FROM members m JOIN pg_operator o ON m.classid = 'pg_operator'::regclass AND o.oid = m.objid
UNION ALL
-- comments on the members and on their sub-objects (composite types' attributes)
SELECT 'comment', pg_describe_object(d.classoid, d.objoid, d.objsubid), d.description
FROM members m
JOIN pg_description d ON d.classoid = m.classid AND d.objoid = m.objid
UNION ALL
SELECT 'comment', pg_describe_object(d.classoid, d.objoid, d.objsubid), d.description
FROM ty JOIN pg_type t ON t.oid = ty.oid
JOIN pg_description d ON d.classoid = 'pg_class'::regclass AND d.objoid = t.typrelid
UNION ALL
-- privileges: the ACLs and what pg_init_privs records for pg_dump
SELECT 'acl', i.type || ' ' || i.identity,
       concat_ws(' | ', 'acl=' || coalesce((SELECT p.proacl::text FROM pg_proc p WHERE m.classid = 'pg_proc'::regclass AND p.oid = m.objid),
                                           (SELECT t.typacl::text FROM pg_type t WHERE m.classid = 'pg_type'::regclass AND t.oid = m.objid),
                                           '<default>'),
                 'init_privs=' || coalesce((SELECT ip.privtype::text || ':' || ip.initprivs::text FROM pg_init_privs ip
                                            WHERE ip.classoid = m.classid AND ip.objoid = m.objid AND ip.objsubid = m.objsubid),
                                           '-'))
FROM members m, LATERAL pg_identify_object(m.classid, m.objid, m.objsubid) i;
