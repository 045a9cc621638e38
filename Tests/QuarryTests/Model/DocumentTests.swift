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

    @Test func metaIsWrittenAsItsValueIsWritten() throws {
        let value = try JSONParser.parse(#"{"title":"T \"x\"","n":[1.50,true,null],"o":{}}"#)
        for document in [Document(name: "d", text: "x", meta: value), Document(name: "d", text: "x")] {
            var written = JSONBuffer()
            document.writeMeta(to: &written)
            var built = JSONBuffer()
            if let meta = document.meta { built.value(meta) } else { built.raw("null") }
            #expect(written.bytes == built.bytes)
        }
    }
}
