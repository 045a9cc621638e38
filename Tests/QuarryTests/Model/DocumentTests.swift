import Testing
@testable import Quarry

@Suite struct DocumentTests {
    @Test func textAndBytesAreOneText() {
        var document = Document(name: "d", text: "Tokyo and Paris, café 😀")
        #expect(document.utf8 == Array("Tokyo and Paris, café 😀".utf8))
        document.text = "Japan"
        #expect(document.utf8 == Array("Japan".utf8))
        #expect(document.text == "Japan")
        let fromBytes = Document(name: "e", validUTF8: Array("é€".utf8))
        #expect(fromBytes.text == "é€")
        #expect(fromBytes.inputBytes == 5)
    }
}
