import Testing
@testable import Quarry

/// Which type is a kind of which: the subtypes worked out once must be those that
/// `isA` finds one by one.
@Suite struct TypeHierarchyTests {
    static let types = TypeHierarchy(parents: [
        "PLACE": String?.none, "COUNTRY": "PLACE", "CITY": "PLACE", "CAPITAL": "CITY",
        "PERSON": String?.none, "LEADER": "PERSON", "DATE": String?.none,
    ])

    @Test func descendantsAreEveryTypeThatIsA() {
        for type in Self.types.all + ["UNDECLARED"] {
            let slow = Set(Self.types.all.filter { Self.types.isA($0, type) }).union([type])
            #expect(Self.types.descendants(of: type) == slow, "\(type)")
        }
        #expect(Self.types.descendants(of: "PLACE") == ["PLACE", "COUNTRY", "CITY", "CAPITAL"])
        #expect(Self.types.descendants(of: "CITY") == ["CITY", "CAPITAL"])
        #expect(Self.types.descendants(of: "DATE") == ["DATE"])
        #expect(Self.types.descendants(of: "UNDECLARED") == ["UNDECLARED"])
    }

    @Test func aParentThatIsNotDeclaredStillHasItsChildren() {
        let types = TypeHierarchy(parents: ["CITY": "PLACE", "TOWN": "PLACE"])
        #expect(types.descendants(of: "PLACE") == ["PLACE", "CITY", "TOWN"])
        #expect(types.isA("TOWN", "PLACE"))
    }
}
