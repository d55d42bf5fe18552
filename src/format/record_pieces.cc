// The out-of-line part of record_pieces.h: the resource and scope pieces,
// written once per resource or scope.
#include "format/record_pieces.h"

#include "format/value_writer.h"

namespace otelpack::format {

ContextPieces::ContextPieces(ExtraFields extra) : resource_(extra.resource), scope_(extra.scope) {
  BeginResource(Resource{});
  BeginScope(InstrumentationScope{});
}

void ContextPieces::BeginResource(const Resource& resource) {
  if (!resource_) return;
  resource_piece_.Clear();
  Cursor c(&resource_piece_, 16);
  c.p = Lit(c.p, ",\"resource\":");
  WriteObject(c, resource.attributes, 0);
  c.Done();
}

void ContextPieces::BeginScope(const InstrumentationScope& scope) {
  if (!scope_) return;
  scope_piece_.Clear();
  Cursor c(&scope_piece_, kMaxEscapeGrowth * (scope.name.size() + scope.version.size()) + 64);
  char* p = Lit(c.p, ",\"scope\":{\"name\":\"");
  p = EscapeString(scope.name, p);
  p = Lit(p, "\",\"version\":\"");
  p = EscapeString(scope.version, p);
  c.p = Lit(p, "\",\"attributes\":");
  WriteObject(c, scope.attributes, 0);
  c.Ensure(1);
  *c.p++ = '}';
  c.Done();
}

}  // namespace otelpack::format
