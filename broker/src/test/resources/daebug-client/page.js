// daebug test client marker: PAGE-JS-TEST-FIXTURE
export {};
