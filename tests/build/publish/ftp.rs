//! Publishing by FTP to a real pure-ftpd on 127.0.0.1, the password from the environment.

use super::ftp_server::{FtpServer, PASSWORD};
use super::*;

const ENV: &[(&str, &str)] = &[("BROCHURE_FTP_PASSWORD", PASSWORD)];

#[test]
#[ignore = "needs pure-ftpd"]
fn ftp_publishes_the_site_incrementally() {
    let server = FtpServer::start();
    first_second_and_deleting_publishes(&server.target(), &server.www(), ENV);
}

#[test]
#[ignore = "needs pure-ftpd"]
fn an_interrupted_ftp_publish_is_finished_by_the_next() {
    let server = FtpServer::start();
    an_interrupted_publish_is_finished_by_the_next(&server.target(), &server.www(), ENV);
}

#[test]
#[ignore = "needs pure-ftpd"]
fn an_ftp_dry_run_changes_nothing() {
    let server = FtpServer::start();
    a_dry_run_changes_nothing(&server.target(), &server.www(), ENV);
}

#[test]
#[ignore = "needs pure-ftpd"]
fn ftp_without_a_password_says_where_to_give_it() {
    let server = FtpServer::start();
    let p = site();
    let out = publish(&p, &[&server.target()], &[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("no password") && err.contains("BROCHURE_FTP_PASSWORD"), "{err}");
    let out = publish(&p, &[&server.target()], &[("BROCHURE_FTP_PASSWORD", "wrong")]);
    let err = stderr(&out);
    assert!(!out.status.success() && err.contains("refused the login"), "{err}");
    assert!(published(&server.www()).is_empty());
}
