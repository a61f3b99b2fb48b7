// SPDX-License-Identifier: Apache-2.0
// The keys of Accord's YAML formats, read from their JSON Schemas (embedded
// at build time from schemas/), for the manual page: one list, so the
// manual documents every key the schemas accept, in the schemas' words.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace accord {

struct FormatSchema {
  std::string_view name;  // "desired-state"
  std::string_view json;  // schemas/<name>.schema.json
};

// The embedded schemas (generated: engine/cli/schemas.cmake).
std::vector<FormatSchema> FormatSchemas();

struct SchemaKey {
  std::string path;         // "users.NAME.full_name"; "NAME" stands for any name
  std::string kind;         // "string", "integer", "true|false", "one of: a, b"
  std::string description;  // the schema's own
};

struct SchemaDoc {
  std::string title;
  std::string description;
  std::vector<SchemaKey> keys;  // in the schema's order, parents first
};

// Every key a schema describes, through $ref, oneOf/anyOf, maps of names
// and lists; an unreadable schema gives an empty document.
SchemaDoc KeysOf(std::string_view schema_json);

}  // namespace accord
