/// Which chat API agent speaks. The raw values are the spellings of the `api` key.
public enum ChatAPI: String, CaseIterable, Sendable, Hashable {
    /// Ollama's native API when `GET /api/version` answers like Ollama, else the OpenAI one.
    case auto
    /// `POST endpoint + api_path` with server-sent events (llama.cpp, vLLM, LM Studio, OpenAI).
    case openai
    /// Ollama's `POST /api/chat` with NDJSON, which lets agent set the context window.
    case ollama
}
