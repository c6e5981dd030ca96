//! Skills, roles and AGENTS.md reaching the model.

use serde_json::json;
use wasm_agent_harness::context::Role;
use wasm_agent_harness::thinking::ThinkingLevel;
use wasm_agent_harness::{Harness, InitOptions, PromptOptions};
use wasm_agent_scripted_llm::{ScriptedLlm, Turn};

use crate::support::{harness, options, system, text_of};

#[tokio::test]
async fn skills_run_with_their_body_and_arguments_and_are_listed_for_the_model() {
    let server = ScriptedLlm::start(vec![
        Turn::tool_call(
            "t1",
            "bash",
            json!({"command": "echo 'Hello, Ada' > greeting.txt"}),
        ),
        Turn::text("Greeted."),
        Turn::text("plain"),
    ]);
    let harness = harness(&server).await;
    let fs = harness.fs();
    fs.write_file(
        ".agents/skills/greet/SKILL.md",
        "---\nname: greet\ndescription: Greets someone by name in greeting.txt.\n---\n\
         Write `Hello, NAME` to greeting.txt.\n",
    )
    .await
    .unwrap();
    fs.write_file("/home/AGENTS.md", "Outer rule: be brief.\n")
        .await
        .unwrap();
    fs.write_file("AGENTS.md", "Inner rule: use British spelling.\n")
        .await
        .unwrap();
    let session = harness.session("s").await.unwrap();
    let answer = session
        .skill(
            "greet",
            Some(json!({"name": "Ada"})),
            PromptOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!(answer.text, "Greeted.");
    assert_eq!(fs.read_file("greeting.txt").await.unwrap(), "Hello, Ada\n");

    let first = &server.requests()[0].body;
    let prompt = system(first);
    let outer = prompt.find("Outer rule").expect("outer AGENTS.md");
    let inner = prompt.find("Inner rule").expect("inner AGENTS.md");
    assert!(outer < inner, "outermost first: {prompt}");
    assert!(
        prompt.contains("greet") && prompt.contains("Greets someone by name"),
        "{prompt}"
    );
    let user = text_of(&first["messages"][0]);
    assert!(
        user.contains("Write `Hello, NAME` to greeting.txt."),
        "{user}"
    );
    assert!(user.contains("Ada"), "{user}");

    let err = session
        .skill("nosuch", None, PromptOptions::default())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("unknown skill 'nosuch'"), "{err}");
    assert!(
        err.to_string().contains("greet"),
        "lists the known ones: {err}"
    );
}

#[tokio::test]
async fn roles_set_instructions_and_model_with_call_over_role_over_harness() {
    let server = ScriptedLlm::start(vec![Turn::text("a"), Turn::text("b"), Turn::text("c")]);
    let harness = Harness::init(InitOptions {
        roles: vec![Role::new("terse", "Answer in one word.").with_model("test/terse-model")],
        ..options(&server)
    })
    .await
    .unwrap();
    harness
        .fs()
        .write_file(
            ".agents/roles/reviewer.md",
            "---\ndescription: Reviews.\nthinking_level: high\n---\nPoint at lines; never rewrite.\n",
        )
        .await
        .unwrap();
    let session = harness.session("s").await.unwrap();
    session
        .prompt("1", PromptOptions::default().role("terse"))
        .await
        .unwrap();
    session
        .prompt(
            "2",
            PromptOptions::default()
                .role("terse")
                .model("test/call-model"),
        )
        .await
        .unwrap();
    session
        .prompt("3", PromptOptions::default().role("reviewer"))
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests[0].body["model"], "terse-model");
    assert!(system(&requests[0].body).contains("Answer in one word."));
    assert_eq!(requests[1].body["model"], "call-model");
    assert_eq!(requests[2].body["model"], "m", "the harness's model");
    assert!(system(&requests[2].body).contains("Point at lines; never rewrite."));
    let budget = ThinkingLevel::High.budget_tokens().unwrap();
    assert_eq!(requests[2].body["thinking"]["budget_tokens"], budget);

    let err = session
        .prompt("4", PromptOptions::default().role("nosuch"))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("nosuch"), "{err}");
}
