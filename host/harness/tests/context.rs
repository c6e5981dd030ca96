//! Agent context over an in-memory sandbox filesystem: AGENTS.md discovery,
//! skills, roles and their precedence, front matter, thinking levels.

use serde_json::json;
use wasm_agent::vfs::{MemFs, Vfs};
use wasm_agent_harness::context::front_matter;
use wasm_agent_harness::context::instructions::{self, Instructions};
use wasm_agent_harness::context::roles::{self, resolve, ModelChoice, Role, Roles};
use wasm_agent_harness::context::skills::{self, skills_prompt};
use wasm_agent_harness::context::Context;
use wasm_agent_harness::thinking::ThinkingLevel;

/// A memory filesystem holding `files` (parents created).
async fn fs_with(files: &[(&str, &str)]) -> MemFs {
    let fs = MemFs::new();
    fs.create_dir_all("/home/user/project/src").await.unwrap();
    for (path, text) in files {
        let (parent, _) = wasm_agent::vfs::path::split_parent(path).unwrap();
        fs.create_dir_all(parent).await.unwrap();
        fs.write_file(path, text.as_bytes()).await.unwrap();
    }
    fs
}

fn paths(found: &[Instructions]) -> Vec<&str> {
    found.iter().map(|i| i.path.as_str()).collect()
}

mod instruction_files {
    use super::*;

    #[tokio::test]
    async fn come_outermost_first_with_claude_md_where_agents_md_is_missing() {
        let fs = fs_with(&[
            ("/AGENTS.md", "root rules"),
            ("/home/CLAUDE.md", "home rules (claude)"),
            ("/home/user/AGENTS.md", "user rules"),
            ("/home/user/CLAUDE.md", "ignored: AGENTS.md is here"),
            ("/home/user/project/src/CLAUDE.md", "src rules"),
            ("/elsewhere/AGENTS.md", "not on the way"),
        ])
        .await;
        let found = instructions::discover(&fs, "/home/user/project/src/")
            .await
            .unwrap();
        assert_eq!(
            paths(&found),
            [
                "/AGENTS.md",
                "/home/CLAUDE.md",
                "/home/user/AGENTS.md",
                "/home/user/project/src/CLAUDE.md"
            ]
        );
        assert_eq!(found[2].text, "user rules");
        assert!(found.iter().all(|i| !i.truncated));
    }

    #[tokio::test]
    async fn missing_files_and_a_missing_cwd_give_nothing() {
        let fs = fs_with(&[]).await;
        assert!(instructions::discover(&fs, "/home/user")
            .await
            .unwrap()
            .is_empty());
        assert!(instructions::discover(&fs, "/no/such/dir")
            .await
            .unwrap()
            .is_empty());
    }

    #[tokio::test]
    async fn unreadable_ones_are_errors_naming_the_path() {
        let fs = fs_with(&[("/home/user/CLAUDE.md", "fine")]).await;
        fs.create_dir_all("/home/user/AGENTS.md").await.unwrap();
        let err = instructions::discover(&fs, "/home/user").await.unwrap_err();
        assert_eq!(err.path(), Some("/home/user/AGENTS.md"));
        assert!(err.to_string().contains("is a directory"), "{err}");

        let fs = fs_with(&[]).await;
        fs.write_file("/AGENTS.md", b"ok \xff\xfe").await.unwrap();
        let err = instructions::discover(&fs, "/").await.unwrap_err();
        assert_eq!(
            err.to_string(),
            "/AGENTS.md: is not UTF-8 text (invalid byte at offset 3); save it as UTF-8"
        );
    }

    #[tokio::test]
    async fn relative_cwd_is_refused() {
        let fs = fs_with(&[]).await;
        let err = instructions::discover(&fs, "home/user").await.unwrap_err();
        assert!(err.to_string().contains("absolute"), "{err}");
    }

    #[tokio::test]
    async fn the_total_is_capped_and_the_cut_is_marked() {
        let outer = "a\n".repeat(30);
        let fs = fs_with(&[
            ("/AGENTS.md", &outer),
            ("/home/AGENTS.md", "b\n".repeat(30).as_str()),
            ("/home/user/AGENTS.md", "c\n"),
        ])
        .await;
        let found = instructions::discover_capped(&fs, "/home/user", 100)
            .await
            .unwrap();
        assert_eq!(paths(&found).len(), 3);
        assert_eq!(
            (found[0].text.as_str(), found[0].truncated),
            (outer.as_str(), false)
        );
        assert!(found[1].truncated);
        assert!(
            found[1].text.starts_with(&"b\n".repeat(20)),
            "{}",
            found[1].text
        );
        assert!(found[1]
            .text
            .contains("truncated: the rest of /home/AGENTS.md (20 more bytes)"));
        assert!(found[2].truncated);
        assert!(found[2]
            .text
            .contains("/home/user/AGENTS.md is not included"));
        assert!(!found[2].text.contains("c\n"));

        let big = "x".repeat(instructions::MAX_TOTAL_BYTES + 10);
        let fs = fs_with(&[("/AGENTS.md", &big)]).await;
        let found = instructions::discover(&fs, "/").await.unwrap();
        assert!(found[0].truncated);
        assert!(found[0]
            .text
            .starts_with(&big[..instructions::MAX_TOTAL_BYTES]));
    }
}

mod skill_discovery {
    use super::*;

    const PDF: &str = "---\nname: pdf\ndescription: Fill in PDF forms.\nallowed-tools: [bash]\n---\n# PDF\nRun scripts/fill.py.\n";

    #[tokio::test]
    async fn good_skills_are_listed_without_their_body() {
        let fs = fs_with(&[
            ("/home/user/.agents/skills/pdf/SKILL.md", PDF),
            (
                "/home/user/.agents/skills/no-name/SKILL.md",
                "---\ndescription: >\n  Folded\n  description.\n---\nbody\n",
            ),
            ("/home/user/.agents/skills/README.md", "not a skill"),
        ])
        .await;
        let (found, problems) = skills::discover(&fs, "/home/user").await;
        assert!(problems.is_empty(), "{problems:?}");
        let names: Vec<&str> = found.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["no-name", "pdf"]);
        let pdf = &found[1];
        assert_eq!(pdf.description, "Fill in PDF forms.");
        assert_eq!(pdf.path, "/home/user/.agents/skills/pdf/SKILL.md");
        assert_eq!(pdf.dir, "/home/user/.agents/skills/pdf");
        assert_eq!(json!(pdf.metadata), json!({"allowed-tools": ["bash"]}));
        assert_eq!(found[0].description, "Folded description.");
        assert_eq!(
            pdf.body(&fs).await.unwrap(),
            "# PDF\nRun scripts/fill.py.\n"
        );
    }

    #[tokio::test]
    async fn broken_skills_are_problems_and_do_not_stop_discovery() {
        let long = format!("---\ndescription: {}\n---\n", "d".repeat(1025));
        let fs = fs_with(&[
            ("/home/user/.agents/skills/pdf/SKILL.md", PDF),
            (
                "/home/user/.agents/skills/bad-yaml/SKILL.md",
                "---\ndescription: [unclosed\n---\n",
            ),
            (
                "/home/user/.agents/skills/no-description/SKILL.md",
                "---\nname: no-description\n---\n",
            ),
            (
                "/home/user/.agents/skills/other-name/SKILL.md",
                "---\nname: pdf\ndescription: x\n---\n",
            ),
            (
                "/home/user/.agents/skills/Upper/SKILL.md",
                "---\ndescription: x\n---\n",
            ),
            ("/home/user/.agents/skills/long/SKILL.md", &long),
            (
                "/home/user/.agents/skills/unclosed/SKILL.md",
                "---\ndescription: x\n",
            ),
            (
                "/home/user/.agents/skills/list/SKILL.md",
                "---\n- a\n- b\n---\n",
            ),
        ])
        .await;
        fs.create_dir_all("/home/user/.agents/skills/empty")
            .await
            .unwrap();
        let (found, problems) = skills::discover(&fs, "/home/user").await;
        let names: Vec<&str> = found.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["pdf"]);
        let problem = |dir: &str| {
            problems
                .iter()
                .find(|p| {
                    p.path
                        .starts_with(&format!("/home/user/.agents/skills/{dir}"))
                })
                .unwrap_or_else(|| panic!("no problem for {dir}: {problems:?}"))
                .to_string()
        };
        assert_eq!(problems.len(), 8, "{problems:?}");
        assert!(
            problem("bad-yaml").contains("SKILL.md: line 3: invalid YAML"),
            "{}",
            problem("bad-yaml")
        );
        assert!(problem("no-description").contains("has no 'description'"));
        assert!(problem("other-name").contains("differs from the directory name 'other-name'"));
        assert!(problem("Upper").contains("'Upper' is not a valid skill name"));
        assert!(problem("long").contains("1025 characters long; keep it to 1024"));
        assert!(problem("unclosed").contains("line 1: the front matter opened by '---'"));
        assert!(problem("list").contains("line 2: the front matter is a list"));
        assert!(problem("empty").contains("has no SKILL.md"));
    }

    #[tokio::test]
    async fn the_nearest_skill_wins_a_name_clash() {
        let fs = fs_with(&[
            (
                "/.agents/skills/pdf/SKILL.md",
                "---\ndescription: global pdf\n---\n",
            ),
            (
                "/.agents/skills/global-only/SKILL.md",
                "---\ndescription: global\n---\n",
            ),
            (
                "/home/user/.agents/skills/pdf/SKILL.md",
                "---\ndescription: user pdf\n---\n",
            ),
            (
                "/home/user/project/.agents/skills/pdf/SKILL.md",
                "---\ndescription: project pdf\n---\n",
            ),
        ])
        .await;
        let (found, problems) = skills::discover(&fs, "/home/user/project/src").await;
        assert!(problems.is_empty(), "{problems:?}");
        let seen: Vec<(&str, &str)> = found
            .iter()
            .map(|s| (s.name.as_str(), s.description.as_str()))
            .collect();
        assert_eq!(seen, [("global-only", "global"), ("pdf", "project pdf")]);
        let (found, _) = skills::discover(&fs, "/home").await;
        assert_eq!(found[1].description, "global pdf");
    }

    #[tokio::test]
    async fn a_broken_nearer_skill_still_shadows_a_farther_one() {
        let fs = fs_with(&[
            (
                "/.agents/skills/pdf/SKILL.md",
                "---\ndescription: global pdf\n---\n",
            ),
            (
                "/home/user/.agents/skills/pdf/SKILL.md",
                "---\nname: pdf\n---\n",
            ),
        ])
        .await;
        let context = Context::load(&fs, "/home/user").await.unwrap();
        assert!(context.skills.is_empty());
        let err = context.skill("pdf").unwrap_err().to_string();
        assert!(
            err.starts_with(
                "skill 'pdf' could not be loaded: /home/user/.agents/skills/pdf/SKILL.md"
            ),
            "{err}"
        );
        let err = context.skill("nope").unwrap_err().to_string();
        assert!(
            err.contains("unknown skill 'nope'; there are no skills"),
            "{err}"
        );
    }

    #[tokio::test]
    async fn prompt_and_invocation_say_how_to_use_a_skill() {
        let fs = fs_with(&[("/home/user/.agents/skills/pdf/SKILL.md", PDF)]).await;
        let (found, _) = skills::discover(&fs, "/home/user").await;
        assert_eq!(skills_prompt(&[]), "");
        let prompt = skills_prompt(&found);
        assert!(prompt.contains("`read` tool"), "{prompt}");
        assert!(
            prompt.contains("- pdf: Fill in PDF forms. (/home/user/.agents/skills/pdf/SKILL.md)\n")
        );

        let skill = &found[0];
        let body = skill.body(&fs).await.unwrap();
        let run = skill.invocation(&body, Some(&json!({"file": "form.pdf"})));
        assert!(run.contains("Run the skill \"pdf\""), "{run}");
        assert!(run.contains("relative to the skill's directory, /home/user/.agents/skills/pdf"));
        assert!(run.contains("Run scripts/fill.py."));
        assert!(run.contains("\"file\": \"form.pdf\""));
        assert!(skill.invocation(&body, None).contains("no arguments"));

        fs.remove_file(&skill.path).await.unwrap();
        let err = skill.body(&fs).await.unwrap_err();
        assert_eq!(err.path(), Some(skill.path.as_str()));
    }
}

mod role_files {
    use super::*;

    #[tokio::test]
    async fn roles_parse_from_markdown_with_front_matter() {
        let fs = fs_with(&[
            (
                "/home/user/.agents/roles/reviewer.md",
                "---\ndescription: Reviews code.\nmodel: anthropic/claude-sonnet-4-5\nthinking_level: High\n---\n\nYou review code.\n",
            ),
            ("/home/user/.agents/roles/planner.md", "---\nthinking-level: low\n---\nPlan first."),
            ("/home/user/.agents/roles/plain.md", "Just instructions."),
            ("/home/user/.agents/roles/notes.txt", "ignored"),
        ])
        .await;
        let roles = Roles::load(&fs, &roles::default_dir("/home/user"))
            .await
            .unwrap();
        assert_eq!(
            roles.names().collect::<Vec<_>>(),
            ["plain", "planner", "reviewer"]
        );
        let reviewer = roles.get("reviewer").unwrap();
        assert_eq!(
            reviewer,
            &Role::new("reviewer", "You review code.")
                .with_description("Reviews code.")
                .with_model("anthropic/claude-sonnet-4-5")
                .with_thinking_level(ThinkingLevel::High)
        );
        assert_eq!(
            roles.get("planner").unwrap().thinking_level,
            Some(ThinkingLevel::Low)
        );
        assert_eq!(
            roles.get("plain").unwrap(),
            &Role::new("plain", "Just instructions.")
        );
        let err = roles.get("coder").unwrap_err().to_string();
        assert_eq!(
            err,
            "unknown role 'coder' (looked for /home/user/.agents/roles/coder.md); \
             known roles: plain, planner, reviewer"
        );
    }

    #[tokio::test]
    async fn a_missing_directory_is_no_roles() {
        let fs = fs_with(&[]).await;
        let roles = Roles::load(&fs, "/home/user/.agents/roles").await.unwrap();
        assert!(roles.is_empty());
        assert!(roles
            .get("x")
            .unwrap_err()
            .to_string()
            .contains("there are no roles"));
    }

    #[tokio::test]
    async fn bad_role_files_are_errors_with_path_and_line() {
        let cases = [
            (
                "---\ndescription: x\nmodle: a/b\n---\n",
                "3: unknown front matter key 'modle'",
            ),
            (
                "---\nmodel: claude\n---\n",
                "2: model 'claude' is not of the form provider/model-id",
            ),
            (
                "---\n\nthinking_level: huge\n---\n",
                "3: unknown thinking level 'huge': use one of off, minimal, low, medium, high",
            ),
            (
                "---\nthinking_level: low\nthinking-level: high\n---\n",
                "' are given; keep one",
            ),
            (
                "---\ndescription: [1, 2]\n---\n",
                "2: 'description' must be a string",
            ),
            (
                "---\nname: other\n---\n",
                "2: 'name: other' differs from the file name",
            ),
            ("---\nmodel: a/b\n  bad: indent\n---\n", "invalid YAML"),
        ];
        for (text, expected) in cases {
            let fs = fs_with(&[("/roles/r.md", text)]).await;
            let err = Roles::load(&fs, "/roles").await.unwrap_err().to_string();
            assert!(err.starts_with("/roles/r.md:"), "{err}");
            assert!(err.contains(expected), "{text:?}: {err}");
        }
        let fs = fs_with(&[("/roles/bad name.md", "x")]).await;
        let err = Roles::load(&fs, "/roles").await.unwrap_err().to_string();
        assert!(
            err.starts_with("/roles/bad name.md: a role's file name"),
            "{err}"
        );
    }

    #[test]
    fn call_beats_role_beats_harness_for_each_setting() {
        let harness = ModelChoice {
            model: Some("openai/gpt-5".into()),
            thinking_level: Some(ThinkingLevel::Low),
        };
        let role = Role::new("r", "").with_thinking_level(ThinkingLevel::High);
        let none = ModelChoice::default();
        assert_eq!(resolve(&none, None, &harness), harness);
        assert_eq!(
            resolve(&none, Some(&role), &harness),
            ModelChoice {
                model: Some("openai/gpt-5".into()),
                thinking_level: Some(ThinkingLevel::High),
            }
        );
        let role = role.with_model("anthropic/claude-opus-4");
        let call = ModelChoice {
            model: Some("ollama/llama3".into()),
            thinking_level: None,
        };
        let chosen = resolve(&call, Some(&role), &harness);
        assert_eq!(chosen.model.as_deref(), Some("ollama/llama3"));
        assert_eq!(chosen.thinking_level, Some(ThinkingLevel::High));
        assert_eq!(
            resolve(&none, Some(&role), &harness).model.as_deref(),
            Some("anthropic/claude-opus-4")
        );
        let err = resolve(&none, None, &none).require_model().unwrap_err();
        assert!(err.to_string().contains("no model to use"), "{err}");
    }
}

mod front_matter_edges {
    use super::*;

    #[test]
    fn a_file_without_front_matter_is_all_body() {
        for text in ["# Title\n---\nx: 1\n---\n", "", "--- not a fence\n"] {
            let doc = front_matter::parse("/f.md", text).unwrap();
            assert!(doc.data.is_empty());
            assert_eq!((doc.body.as_str(), doc.body_line), (text, 1));
        }
    }

    #[test]
    fn crlf_and_a_byte_order_mark_are_accepted() {
        let doc = front_matter::parse(
            "/f.md",
            "\u{feff}---\r\nname: x\r\ntags: [a, b]\r\n---\r\nline 1\r\nline 2\r\n",
        )
        .unwrap();
        assert_eq!(json!(doc.data), json!({"name": "x", "tags": ["a", "b"]}));
        assert_eq!(doc.body, "line 1\nline 2\n");
        assert_eq!(doc.body_line, 5);
    }

    #[test]
    fn bad_yaml_is_reported_with_its_line_in_the_file() {
        let err = front_matter::parse("/f.md", "---\na: 1\nb: \"unclosed\n---\nbody").unwrap_err();
        assert_eq!(err.path(), Some("/f.md"));
        // The unclosed quote is on line 3, column 4 of the file.
        assert_eq!(err.line(), Some(3), "{err}");
        assert!(
            err.to_string()
                .starts_with("/f.md:3: invalid YAML in the front matter"),
            "{err}"
        );
        assert!(err.to_string().contains("(column 4)"), "{err}");

        let err = front_matter::parse("/f.md", "---\r\nok: 1\r\na: b: c\r\n---\r\n").unwrap_err();
        assert_eq!(err.line(), Some(3), "{err}");
    }

    #[test]
    fn front_matter_must_be_a_mapping() {
        let err = front_matter::parse("/f.md", "---\njust text\n---\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "/f.md:2: the front matter is a string, but it must be a mapping of 'key: value' lines"
        );
        let doc = front_matter::parse("/f.md", "---\n# only a comment\n---\nbody").unwrap();
        assert!(doc.data.is_empty());
        assert_eq!(doc.body, "body");
    }
}

mod thinking_levels {
    use super::*;

    #[test]
    fn parse_in_any_case_and_list_the_levels_when_wrong() {
        assert_eq!("HIGH".parse::<ThinkingLevel>(), Ok(ThinkingLevel::High));
        assert_eq!(
            " minimal ".parse::<ThinkingLevel>(),
            Ok(ThinkingLevel::Minimal)
        );
        assert_eq!("Off".parse::<ThinkingLevel>(), Ok(ThinkingLevel::Off));
        let err = "max".parse::<ThinkingLevel>().unwrap_err().to_string();
        assert_eq!(
            err,
            "unknown thinking level 'max': use one of off, minimal, low, medium, high"
        );
    }

    #[test]
    fn serde_uses_lowercase_words() {
        assert_eq!(
            serde_json::to_value(ThinkingLevel::Medium).unwrap(),
            json!("medium")
        );
        let level: ThinkingLevel = serde_json::from_value(json!("Low")).unwrap();
        assert_eq!(level, ThinkingLevel::Low);
        let err = serde_json::from_value::<ThinkingLevel>(json!("extreme")).unwrap_err();
        assert!(err.to_string().contains("use one of off, minimal"), "{err}");
    }

    #[test]
    fn providers_get_a_budget_or_an_effort() {
        assert_eq!(ThinkingLevel::Off.budget_tokens(), None);
        assert_eq!(ThinkingLevel::Off.effort(), None);
        assert_eq!(ThinkingLevel::Minimal.budget_tokens(), Some(1024));
        assert_eq!(ThinkingLevel::High.budget_tokens(), Some(32_000));
        assert_eq!(ThinkingLevel::Medium.effort(), Some("medium"));
        assert_eq!(ThinkingLevel::Minimal.effort(), Some("minimal"));
    }
}

mod system_prompt {
    use super::*;

    #[tokio::test]
    async fn composes_base_role_instructions_and_skills_in_order() {
        let fs = fs_with(&[
            ("/AGENTS.md", "Be brief."),
            ("/home/user/CLAUDE.md", "Use tabs."),
            (
                "/home/user/.agents/skills/pdf/SKILL.md",
                "---\ndescription: PDF forms.\n---\nsecret body",
            ),
        ])
        .await;
        let context = Context::load(&fs, "/home/user").await.unwrap();
        let role = Role::new("reviewer", "You review code.\n");
        let prompt = context.system_prompt("You are an agent.", Some(&role));
        let order = [
            "You are an agent.",
            "# Role: reviewer\n\nYou review code.",
            "# Instructions from /AGENTS.md\n\nBe brief.",
            "# Instructions from /home/user/CLAUDE.md\n\nUse tabs.",
            "# Skills",
            "- pdf: PDF forms.",
        ];
        let at: Vec<usize> = order
            .iter()
            .map(|part| {
                prompt
                    .find(part)
                    .unwrap_or_else(|| panic!("{part:?} missing in:\n{prompt}"))
            })
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{prompt}");
        assert!(!prompt.contains("secret body"));

        let bare = Context::default().system_prompt("Base.", None);
        assert_eq!(bare, "Base.\n");
    }
}
