import Testing

@testable import AgentConfig

/// Finding the line a key is written on, since TOMLKit does not report it.
@Suite struct KeyLineLocatorTests {
    let text = """
        # comment = 1
        model = "m"
        "quoted key" = 1
        system_prompt = \"\"\"
        fake = 2
        \"\"\"
        retry.max_retries = 3

          [ profiles . "open ai" ]
        model = "x"
        tools = { approval = "auto",
                  bogus = 1 }

        [[servers]]
        name = "a"
        """

    @Test func findsKeysUnderTheirTables() {
        let locator = KeyLineLocator(text: text)
        #expect(locator.line(of: ["model"]) == 2)
        #expect(locator.line(of: ["quoted key"]) == 3)
        #expect(locator.line(of: ["system_prompt"]) == 4)
        #expect(locator.line(of: ["retry", "max_retries"]) == 7)
        #expect(locator.line(of: ["profiles", "open ai"]) == 9)
        #expect(locator.line(of: ["profiles", "open ai", "model"]) == 10)
        #expect(locator.line(of: ["servers", "name"]) == 15)
    }

    @Test func skipsCommentsAndMultilineStrings() {
        let locator = KeyLineLocator(text: text)
        #expect(locator.line(of: ["comment"]) == nil)
        #expect(locator.line(of: ["fake"]) == nil)
    }

    @Test func fallsBackToTheEnclosingKey() {
        let locator = KeyLineLocator(text: text)
        #expect(locator.line(of: ["profiles", "open ai", "tools", "bogus"]) == 11)
        #expect(locator.line(of: ["nothing", "here"]) == nil)
    }
}
