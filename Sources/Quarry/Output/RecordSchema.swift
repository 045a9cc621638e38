/// The JSON Schemas (draft 2020-12) of the records Quarry writes; `quarry schema`
/// prints them and a test validates real output against them.
public enum RecordSchema {
    private static let mentionObject = """
        {
              "type": "object",
              "required": ["text", "canonical", "type", "id", "attrs", "start", "end"],
              "additionalProperties": false,
              "properties": {
                "text": {"type": "string", "description": "The text as it stands in the document."},
                "canonical": {"type": "string", "description": "The canonical name of the entity taken."},
                "type": {"type": "string", "description": "The entity type taken (a pack type)."},
                "id": {"type": ["string", "null"], "description": "External id, e.g. a Wikidata QID."},
                "attrs": {"type": "object", "additionalProperties": {"type": "string"}},
                "start": {"type": "integer", "minimum": 0, "description": "Unicode scalar offset into the document text."},
                "end": {"type": "integer", "minimum": 0}
              }
            }
        """

    private static let sentence = """
        {
              "type": "object",
              "required": ["index", "start", "end"],
              "additionalProperties": false,
              "properties": {
                "index": {"type": "integer", "minimum": 0},
                "start": {"type": "integer", "minimum": 0},
                "end": {"type": "integer", "minimum": 0}
              }
            }
        """

    private static let rule = """
        {
              "type": "object",
              "required": ["id", "file", "line"],
              "additionalProperties": false,
              "properties": {
                "id": {"type": "string"},
                "file": {"type": "string"},
                "line": {"type": "integer", "minimum": 0}
              }
            }
        """

    /// The schema of `quarry.fact/1`.
    public static let fact = """
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "$id": "quarry.fact/1",
          "title": "Quarry fact",
          "type": "object",
          "required": ["schema", "id", "key", "relation", "args", "attrs", "cameo", "doc", "sentence", "evidence", "rule", "meta"],
          "additionalProperties": false,
          "$defs": {
            "mention": \(mentionObject)
          },
          "properties": {
            "schema": {"const": "quarry.fact/1"},
            "id": {"type": "string", "pattern": "^[0-9a-f]{16}$", "description": "Stable id of this fact."},
            "key": {"type": "string", "pattern": "^[0-9a-f]{16}$", "description": "Hash of relation and canonical arguments: the same fact in any document."},
            "relation": {"type": "string"},
            "args": {
              "type": "object",
              "additionalProperties": {
                "oneOf": [
                  {"$ref": "#/$defs/mention"},
                  {"type": "array", "items": {"$ref": "#/$defs/mention"}},
                  {"type": "null"}
                ]
              }
            },
            "attrs": {"type": "object", "additionalProperties": {"type": "string"}},
            "cameo": {"type": ["string", "null"]},
            "doc": {"type": "string"},
            "sentence": \(sentence),
            "evidence": {"type": "string"},
            "rule": \(rule),
            "meta": {"type": ["object", "null"]}
          }
        }
        """

    /// The schema of `quarry.mention/1`.
    public static let mention = """
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "$id": "quarry.mention/1",
          "title": "Quarry mention",
          "type": "object",
          "required": ["schema", "doc", "sentence", "text", "canonical", "type", "id", "attrs", "start", "end", "stands_for", "rule"],
          "additionalProperties": false,
          "properties": {
            "schema": {"const": "quarry.mention/1"},
            "doc": {"type": "string"},
            "sentence": \(sentence),
            "text": {"type": "string"},
            "canonical": {"type": "string"},
            "type": {"type": "string"},
            "id": {"type": ["string", "null"]},
            "attrs": {"type": "object", "additionalProperties": {"type": "string"}},
            "start": {"type": "integer", "minimum": 0},
            "end": {"type": "integer", "minimum": 0},
            "stands_for": {"type": ["string", "null"], "description": "Canonical name of the entity the mention can stand for."},
            "rule": \(rule)
          }
        }
        """
}
