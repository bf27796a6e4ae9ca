"""Who may call each operation, and how every id an operation is given is resolved: declared where each root field
is defined, enforced by one guard, and walked here so that a new operation or input id cannot go undecided."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import (
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    parse,
)
from strawberry.federation.schema_directives import RequiresScopes
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.field import StrawberryField

from tests.factories import NGO, PUBLIC, SCHEMA, error_codes, run
from trackchild_hub.auth.principal import Principal
from trackchild_hub.resolvers.context import Services
from trackchild_hub.schema.access import (
    ACCESS,
    OPERATION,
    PUBLIC_OPERATION,
    PUBLIC_RECORD,
    RECORDS,
    WHY_PUBLIC,
)
from trackchild_hub.schema.extensions.operation_guard import OperationGuard
from trackchild_hub.services import record_rule as record_access

ROOTS = ("Query", "Mutation", "Subscription")
FEDERATION = {"_entities", "_service"}  # _entities resolves through resolve_reference: the record rule, tested below

# Written by hand from CONTRACT.md (who may do what) and issue 10; a change here is a decision, not a refactoring.
SCOPES: dict[str, list[list[str]]] = {
    "Query.case": [["cases:read"]],
    "Query.cases": [["cases:read"]],
    "Query.child": [["cases:read"]],
    "Query.sources": [["cases:read"]],
    "Query.findMatches": [["matches:read"]],
    "Query.matchCandidates": [["matches:read"]],
    "Query.auditTrail": [["audit:read"]],
    "Query.directoryQuality": [["reports:read"], ["directory:write"]],
    "Query.directoryChanges": [["reports:read"], ["directory:write"]],
    "Mutation.reportMissing": [["cases:write"]],
    "Mutation.reportFound": [["cases:write"]],
    "Mutation.admitToInstitution": [["cases:write"]],
    "Mutation.updateCase": [["cases:write"]],
    "Mutation.attachCasePhoto": [["cases:write"]],
    "Mutation.withdrawCasePhotoPublication": [["cases:write"]],
    "Mutation.transferCase": [["cases:write"]],
    "Mutation.closeCase": [["cases:write"]],
    "Mutation.reviewMatch": [["matches:review"]],
    "Mutation.upsertDirectoryEntry": [["directory:write"]],
    "Mutation.retireDirectoryEntry": [["directory:write"]],
    "Query.untriagedCitizenReports": [["cases:read"]],
    "Query.citizenReport": [["cases:read"]],
    "Query.citizenReportBacklog": [["reports:read"]],
    "Query.sightingCandidates": [["matches:read"]],
    "Mutation.registerCaseFromCitizenReport": [["cases:write"]],
    "Mutation.linkSighting": [["cases:write"]],
    "Mutation.dismissCitizenReport": [["cases:write"]],
    "Subscription.alerts": [["alerts:read"]],  # CONTRACT.md: alerts:read grants alert subscriptions
    "Query.institutionRecord": [["reports:read"], ["institutions:write"]],
    "Query.staleInstitutions": [["reports:read"]],
    "Query.overCapacityInstitutions": [["reports:read"]],
    "Mutation.setInstitutionInfrastructure": [["institutions:write"]],
    "Mutation.recordInspection": [["institutions:write"]],
    "Mutation.reviseInspection": [["institutions:write"]],
    "Query.careFile": [["child:sensitive"]],
    "Query.overdueCareReviews": [["child:sensitive"]],
    "Query.overdueCareFollowUps": [["child:sensitive"]],
    "Mutation.addCareEntry": [["care:write"]],
    "Query.overdueAhtuReports": [["cases:read"]],
    "Mutation.tickInvestigationChecklist": [["cases:write"]],
    "Mutation.fileAhtuProgressReport": [["cases:write"]],  # and the ahtu agency (services.case_workflow)
    "Query.progressReport": [["reports:read"]],  # within the reader's State (services.progress_report)
    "Query.stats": [["reports:read"]],  # within the reader's jurisdiction (services.stats)
    "Query.districtDigest": [["reports:read"]],  # a district inside the reader's jurisdiction (services.stats)
    # held by DCPU, SCPS and CPSU; the service lets only the State's SCPS and the CPSU write
    "Mutation.setProgressFinancials": [["reports:read", "institutions:write"]],
}
# CONTRACT.md: the public sees public notices, directories, citizen reports, status by reference.
PUBLIC_OPERATIONS = {
    "Query.institution",
    "Query.institutions",
    "Query.directory",
    "Query.nearest",
    "Query.coveringBodies",
    "Query.states",
    "Query.me",
    "Query.caseStatus",
    "Mutation.submitCitizenReport",
    "Mutation.reportSighting",
    "Query.publicNotices",
}
# Argument names that refer to an existing record even when not typed ID.
REFERENCE_NAMES = {"ahtu", "institution", "policeStation", "reference"}


def _graphql_name(field: StrawberryField) -> str:
    return SCHEMA.config.name_converter.get_graphql_name(field)


def _roots() -> Iterator[tuple[str, StrawberryField]]:
    for root in ROOTS:
        type_def = SCHEMA.schema_converter.type_map.get(root)
        if type_def is None:
            continue
        definition = type_def.definition
        assert isinstance(definition, StrawberryObjectDefinition)
        for field in definition.fields:
            if field.name not in FEDERATION:
                yield f"{root}.{_graphql_name(field)}", field


def _unwrap(t: Any) -> Any:
    while isinstance(t, GraphQLNonNull | GraphQLList):
        t = t.of_type
    return t


def _id_like(name: str, t: Any) -> bool:
    named = _unwrap(t)
    return (
        (isinstance(named, GraphQLScalarType) and named.name == "ID") or name in REFERENCE_NAMES or name.endswith("Id")
    )


def _id_paths(args: dict[str, Any], prefix: str = "", seen: frozenset[str] = frozenset()) -> Iterator[str]:
    """Every argument path (``input.place.policeStation``) under ``args`` that names an existing record."""
    for name, arg in args.items():
        path = f"{prefix}{name}"
        named = _unwrap(arg.type)
        if isinstance(named, GraphQLInputObjectType):
            if named.name not in seen:
                yield from _id_paths(named.fields, f"{path}.", seen | {named.name})
        elif _id_like(name, arg.type):
            yield path


def test_every_root_field_is_guarded_or_deliberately_public() -> None:
    undecided, guarded, public = [], {}, set()
    for name, field in _roots():
        access = field.metadata.get(ACCESS)
        declared = [d for d in field.directives if isinstance(d, RequiresScopes)]
        has_guard = any(isinstance(e, OperationGuard) for e in field.extensions)
        if access == OPERATION and len(declared) == 1 and has_guard:
            guarded[name] = [[str(s) for s in group] for group in declared[0].scopes]
        elif access == PUBLIC_OPERATION and not declared and not has_guard and field.metadata.get(WHY_PUBLIC):
            public.add(name)
        else:
            undecided.append(name)
    assert undecided == [], f"root fields neither guarded nor deliberately public: {undecided}"
    assert guarded == SCOPES
    assert public == PUBLIC_OPERATIONS


def test_every_id_an_operation_is_given_is_resolved_through_the_record_rule() -> None:
    undeclared, stale, elsewhere = [], [], []
    for name, field in _roots():
        root, field_name = name.split(".")
        graphql_field = SCHEMA._schema.get_type(root).fields[field_name]  # type: ignore[union-attr]
        paths = set(_id_paths(graphql_field.args))
        records: dict[str, Any] = field.metadata.get(RECORDS, {})
        undeclared += [f"{name}({p})" for p in sorted(paths - set(records))]
        stale += [f"{name}({p})" for p in sorted(set(records) - paths)]
        for path, resolver in records.items():
            ok = resolver == PUBLIC_RECORD or (
                callable(resolver) and getattr(resolver, "__module__", None) == record_access.__name__
            )
            if not ok:
                elsewhere.append(f"{name}({path})")
    assert undeclared == [], f"input ids without a record-rule resolver: {undeclared}"
    assert stale == [], f"declared ids that the operation does not take: {stale}"
    assert elsewhere == [], f"ids resolved outside services.record_rule: {elsewhere}"


def test_the_walk_sees_the_ids_of_issue_10() -> None:
    """The walk itself must find the doors hole 1 went through, or the test above proves nothing."""
    walked = {
        f"{name}({p})"
        for name, _ in _roots()
        for p in _id_paths(SCHEMA._schema.get_type(name.split(".")[0]).fields[name.split(".")[1]].args)  # type: ignore[union-attr]
    }
    assert {
        "Mutation.admitToInstitution(input.childId)",
        "Mutation.admitToInstitution(input.institution)",
        "Mutation.reportMissing(input.place.policeStation)",
        "Mutation.transferCase(input.id)",
        "Mutation.reviewMatch(id)",
        "Query.auditTrail(entityId)",
        "Query.matchCandidates(caseId)",
        "Mutation.retireDirectoryEntry(id)",
    } <= walked


def test_operation_scopes_show_in_the_federation_sdl() -> None:
    sdl = SCHEMA.as_str()
    assert "findMatches(" in sdl
    fields = {
        field.name.value: field
        for definition in parse(sdl).definitions
        if isinstance(definition, ObjectTypeDefinitionNode | ObjectTypeExtensionNode)
        and definition.name.value in ("Query", "Mutation")
        for field in definition.fields or ()
    }
    for name in ("auditTrail", "admitToInstitution", "reviewMatch"):
        directives = {d.name.value: d for d in fields[name].directives or ()}
        assert "requiresScopes" in directives, name
        (scopes,) = directives["requiresScopes"].arguments or ()
        assert scopes.name.value == "scopes", name


async def test_the_guard_refuses_before_anything_runs(store: Services) -> None:
    find = 'query { findMatches(description: {name: "Rahul", guardianNames: ["Suresh"]}) { score } }'
    trail = 'query { auditTrail(entityId: "x") { at } }'
    quality = "query { directoryQuality { entries } }"
    for query, principal in ((find, PUBLIC), (trail, NGO), (quality, NGO), (trail, PUBLIC)):
        result = await run(store, query, principal=principal)
        assert result.data is None
        assert error_codes(result) == [("FORBIDDEN", None)], query
        assert result.errors is not None
        assert "needs the scope" in result.errors[0].message
    # A token holding the scope passes the guard and meets the record rule (an unknown entity: NOT_FOUND).
    auditor = Principal(subject="auditor", scopes=frozenset({"audit:read"}))
    assert error_codes(await run(store, trail, principal=auditor)) == [("NOT_FOUND", None)]
