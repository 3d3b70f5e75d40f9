// ADD's git sources: which arguments name a repository, and how BuildKit's
// URL#REF:SUBDIR splits.
#include "builder/git_source.h"

#include <gtest/gtest.h>

#include "core/error.h"

TEST(GitSource, WhatNamesARepository) {
  EXPECT_TRUE(berth::is_git_source("git://127.0.0.1:9418/repo.git"));
  EXPECT_TRUE(berth::is_git_source("git@github.com:moby/buildkit.git#v0.12.0"));
  EXPECT_TRUE(berth::is_git_source("https://example.com/project.git#main:docs"));
  EXPECT_FALSE(berth::is_git_source("https://example.com/file.tar.gz"));
  EXPECT_FALSE(berth::is_git_source("repo.git"));  // a context file
  EXPECT_FALSE(berth::is_git_source("file:///srv/repo.git"));
}

TEST(GitSource, RefAndSubdir) {
  berth::GitSource s = berth::parse_git_source("git://h/repo.git#v1:sub/dir");
  EXPECT_EQ(s.url, "git://h/repo.git");
  EXPECT_EQ(s.ref, "v1");
  EXPECT_EQ(s.subdir, "sub/dir");
  berth::GitSource no_ref = berth::parse_git_source("git://h/repo.git#:sub");
  EXPECT_EQ(no_ref.ref, "");
  EXPECT_EQ(no_ref.subdir, "sub");
  EXPECT_EQ(berth::parse_git_source("git://h/repo.git").ref, "");
  EXPECT_THROW(berth::parse_git_source("git://h/repo.git#--upload-pack=x"), berth::Error);  // never an option to git
}
